"""The nightly schedule: the latest complete business day and a trailing lookback window."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import dagster as dg

from orchestration.jobs import nightly_job, range_tags
from parity import settings


def nightly_window(scheduled: dt.datetime, timezone: str, lookback: int,
                   first: dt.date) -> tuple[dt.date, dt.date]:
    """(first, last) business day a run scheduled at ``scheduled`` covers: the last is the day
    before the scheduled local date (the latest complete one), the window ends with it and
    spans ``lookback`` days, never before the first partition."""
    last = scheduled.astimezone(ZoneInfo(timezone)).date() - dt.timedelta(days=1)
    start = max(first, last - dt.timedelta(days=lookback - 1))
    return start, last


def automation_running() -> bool:
    """Schedule and landing sensor start stopped unless PARITY_AUTOMATION=running (so `make ui`
    on a demo folder launches nothing by itself); turn them on in the UI or by the variable."""
    return settings.automation_default() == "running"


@dg.schedule(
    job=nightly_job,
    cron_schedule=settings.schedule_cron(),
    execution_timezone=settings.schedule_timezone(),
    default_status=(dg.DefaultScheduleStatus.RUNNING if automation_running()
                    else dg.DefaultScheduleStatus.STOPPED),
    description="Every night: the latest complete business day and the lookback days before "
                "it (late data, corrections), in one run, with everything downstream.",
)
def nightly_schedule(context: dg.ScheduleEvaluationContext):
    first = dt.date.fromisoformat(settings.partitions_start())
    start, last = nightly_window(context.scheduled_execution_time, settings.schedule_timezone(),
                                 settings.lookback_days(), first)
    if last < first:
        return dg.SkipReason(f"{last} is before the first partition {first}")
    return dg.RunRequest(run_key=f"nightly:{last.isoformat()}",
                         tags={**range_tags(start.isoformat(), last.isoformat()),
                               "parity/trigger": "schedule"})
