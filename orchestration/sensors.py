"""Sensors: newly landed or changed files launch a run for their day; failed runs raise alerts."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

import dagster as dg
from dagster._core.storage.tags import (ASSET_PARTITION_RANGE_END_TAG,
                                        ASSET_PARTITION_RANGE_START_TAG, PARTITION_NAME_TAG)

from orchestration.jobs import nightly_job
from orchestration.schedules import automation_running
from parity import settings
from parity.alerts import alert_line, raise_alert
from parity.contract import SOURCES
from parity.ingest.files import landed_files, sha256_of
from parity.ingest.mapping import load_mapping


def scan_landing(known: dict[str, list]) -> tuple[dict[str, list], dict[str, list[str]]]:
    """The landing folder against the cursor ``known`` (path -> [size, mtime_ns, sha256]).

    Returns the new cursor and, per business date, the "source/name:sha256" of the files that
    are new or whose content changed. A file is hashed only when its size or time changed, and
    a touched file with the same content triggers nothing.
    """
    state: dict[str, list] = {}
    changed: dict[str, list[str]] = defaultdict(list)
    first = settings.partitions_start()
    for source in SOURCES:
        mapping = load_mapping(source, settings.mappings_dir())
        for landed in landed_files(settings.landing_dir(), source, mapping):
            if landed.business_date is None or landed.business_date.isoformat() < first:
                continue  # the raw asset reports undated files; nothing to partition here
            stat = landed.path.stat()
            key = str(landed.path)
            previous = known.get(key)
            if previous and previous[:2] == [stat.st_size, stat.st_mtime_ns]:
                sha = previous[2]
            else:
                sha = sha256_of(landed.path)
            state[key] = [stat.st_size, stat.st_mtime_ns, sha]
            if not previous or previous[2] != sha:
                changed[landed.business_date.isoformat()].append(
                    f"{source}/{landed.path.name}:{sha}")
    return state, dict(changed)


def run_key(day: str, files: list[str]) -> str:
    """The same files with the same content always give the same key: never run twice."""
    digest = hashlib.sha256("\n".join(sorted(files)).encode()).hexdigest()[:16]
    return f"landed:{day}:{digest}"


@dg.sensor(
    job=nightly_job,
    minimum_interval_seconds=60,
    default_status=(dg.DefaultSensorStatus.RUNNING if automation_running()
                    else dg.DefaultSensorStatus.STOPPED),
    description="Watches the landing folder: a newly landed or changed file launches one run "
                "for its business day (deduplicated by run key: a file never triggers twice).",
)
def landing_sensor(context: dg.SensorEvaluationContext):
    known = json.loads(context.cursor) if context.cursor else {}
    state, changed = scan_landing(known)
    requests = [dg.RunRequest(run_key=run_key(day, files), partition_key=day,
                              tags={"parity/trigger": "landing_sensor",
                                    "parity/files": str(len(files))})
                for day, files in sorted(changed.items())]
    context.update_cursor(json.dumps(state, sort_keys=True))
    if not requests:
        return dg.SkipReason("no new or changed file in the landing folder")
    return requests


@dg.run_failure_sensor(
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Writes one alert line per failed run to the alert log (PARITY_ALERT_LOG, "
                "default $DAGSTER_HOME/alerts.log) and hands it to PARITY_ALERT_COMMAND if set.",
)
def run_failure_alert(context: dg.RunFailureSensorContext):
    run = context.dagster_run
    tags = run.tags
    partitions = tags.get(PARTITION_NAME_TAG) or (
        f"{tags[ASSET_PARTITION_RANGE_START_TAG]}...{tags[ASSET_PARTITION_RANGE_END_TAG]}"
        if ASSET_PARTITION_RANGE_START_TAG in tags else None)
    line = alert_line(run.run_id, run.job_name, context.failure_event.message or "", partitions)
    raise_alert(line)
    context.log.error(line)
