"""The nightly schedule, the landing sensor and the run-failure alert, evaluated as the daemon
would (no run is launched: the requests they return are what is checked)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import shutil
import sys
from zoneinfo import ZoneInfo

import dagster as dg
import pytest
from dagster._utils.schedules import cron_string_iterator

from orchestration.definitions import defs
from orchestration.jobs import nightly_job
from orchestration.schedules import nightly_schedule, nightly_window
from orchestration.sensors import landing_sensor, run_failure_alert

FIRST = dt.date(2025, 1, 1)
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def ticks(cron: str, timezone: str, start: dt.datetime, count: int) -> list[dt.datetime]:
    return list(itertools.islice(cron_string_iterator(start.timestamp(), cron, timezone), count))


def test_the_window_ends_with_the_latest_complete_local_business_day():
    # 01:30 UTC on 4 April is still 3 April in New York: the latest complete day there is 2 April.
    scheduled = dt.datetime(2026, 4, 4, 1, 30, tzinfo=dt.timezone.utc)
    assert nightly_window(scheduled, "America/New_York", 7, FIRST) == (
        dt.date(2026, 3, 27), dt.date(2026, 4, 2))
    assert nightly_window(scheduled, "Europe/Berlin", 7, FIRST) == (
        dt.date(2026, 3, 28), dt.date(2026, 4, 3))
    # never before the first partition
    assert nightly_window(dt.datetime(2025, 1, 3, 3, tzinfo=dt.timezone.utc), "UTC", 7,
                          FIRST) == (FIRST, dt.date(2025, 1, 2))


@pytest.mark.parametrize("cron, start", [
    # 02:30 does not exist on 8 March; 01:30 happens twice on 1 November
    ("30 2 * * *", dt.datetime(2026, 3, 5, tzinfo=ZoneInfo("America/New_York"))),
    ("30 1 * * *", dt.datetime(2026, 10, 29, tzinfo=ZoneInfo("America/New_York"))),
])
def test_one_run_per_business_day_across_a_dst_change(cron, start):
    """Each tick over the week of a DST change covers the day before it, every day once."""
    days = [nightly_window(t, "America/New_York", 7, FIRST)[1]
            for t in ticks(cron, "America/New_York", start, 8)]
    assert days == [start.date() + dt.timedelta(days=i - 1) for i in range(8)]


def test_the_schedule_requests_the_lookback_range_in_one_run():
    assert nightly_schedule.job_name == nightly_job.name
    context = dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 4, 5, 2, 30, tzinfo=dt.timezone.utc))
    request = nightly_schedule.evaluate_tick(context).run_requests[0]
    assert request.tags[RANGE_START] == "2026-03-29"
    assert request.tags[RANGE_END] == "2026-04-04"
    assert request.run_key == "nightly:2026-04-04"


def test_the_job_covers_every_asset_from_raw_to_serving():
    graph = defs.resolve_asset_graph()
    job = defs.resolve_job_def(nightly_job.name)
    selected = job.asset_layer.selected_asset_keys
    assert selected == set(graph.get_all_asset_keys()) - {
        k for k in graph.get_all_asset_keys() if graph.get(k).is_external}
    assert dg.AssetKey(["serving", "report"]) in selected


@pytest.fixture()
def small_landing(tmp_path, landing, monkeypatch):
    """Two days of the session landing folder, copied so files can be added and changed."""
    out = tmp_path / "landing"
    days = sorted({p.name[-14:-4] for p in (landing / "crm_interactions").glob("*.csv")})[:2]
    for folder in (p for p in landing.iterdir() if p.is_dir()):
        (out / folder.name).mkdir(parents=True)
        for day in days:
            for file in folder.glob(f"*{day}*"):
                shutil.copy2(file, out / folder.name / file.name)
    monkeypatch.setenv("PARITY_LANDING_DIR", str(out))
    return out, days


def _tick(cursor):
    context = dg.build_sensor_context(cursor=cursor, definitions=defs)
    result = landing_sensor.evaluate_tick(context)
    return result.run_requests, result.cursor


def test_the_sensor_triggers_once_per_new_or_changed_file(small_landing):
    landing, days = small_landing
    requests, cursor = _tick(None)
    assert sorted(r.partition_key for r in requests) == days  # one run per landed day
    assert len({r.run_key for r in requests}) == 2
    first_keys = {r.run_key for r in requests}

    again, cursor = _tick(cursor)
    assert again == []  # nothing new: nothing requested

    crm = sorted((landing / "crm_interactions").glob("*.csv"))[0]
    os.utime(crm, ns=(crm.stat().st_atime_ns, crm.stat().st_mtime_ns + 10**9))
    touched, cursor = _tick(cursor)
    assert touched == []  # same bytes, newer time: not a change

    with crm.open("a", encoding="utf-8") as handle:  # a correction of the first day
        handle.write(crm.read_text(encoding="utf-8").splitlines()[1] + "\n")
    changed, cursor = _tick(cursor)
    assert [r.partition_key for r in changed] == [days[0]]
    assert changed[0].run_key not in first_keys

    new_day = landing / "surveys" / f"surveys_{days[1]}-late.csv"
    shutil.copy2(next((landing / "surveys").glob(f"*{days[1]}*")), new_day)
    added, cursor = _tick(cursor)
    assert [r.partition_key for r in added] == [days[1]]
    assert json.loads(cursor)[str(new_day)][2]  # its hash is in the cursor

    # From the same state the same files give the same run keys, which the daemon never
    # launches twice.
    assert {r.run_key for r in _tick(None)[0]} == {r.run_key for r in _tick(None)[0]}


def test_a_failed_run_writes_one_alert_line_and_calls_the_hook(tmp_path, monkeypatch):
    log = tmp_path / "alerts.log"
    hook_out = tmp_path / "hook.txt"
    monkeypatch.setenv("PARITY_ALERT_LOG", str(log))
    monkeypatch.setenv("PARITY_ALERT_COMMAND",
                       f"{sys.executable} -c \"import sys; open({str(hook_out)!r}, 'w')"
                       f".write(sys.stdin.read())\"")

    @dg.op
    def explode():
        raise RuntimeError("warehouse path is not writable")

    @dg.job
    def broken():
        explode()

    instance = dg.DagsterInstance.ephemeral()
    result = broken.execute_in_process(instance=instance, raise_on_error=False,
                                       tags={"dagster/partition": "2026-04-04"})
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
    context = dg.build_run_status_sensor_context(
        sensor_name=run_failure_alert.name, dagster_event=failure, dagster_instance=instance,
        dagster_run=result.dagster_run).for_run_failure()
    run_failure_alert(context)
    lines = log.read_text().splitlines()
    assert len(lines) == 1
    assert f"run={result.run_id}" in lines[0] and "job=broken" in lines[0]
    assert "partitions=2026-04-04" in lines[0] and "explode" in lines[0]
    assert hook_out.read_text().strip() == lines[0]
