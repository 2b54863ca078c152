"""Runs whose process died (SIGKILL, OOM killer, power loss) without telling Dagster.

Such a run stays STARTED forever: it holds its slot of the `warehouse` pool (one slot, so every
later run waits for it without end) and counts against the run queue. Dagster frees the slots
of runs that *ended*, and its run monitoring cannot ask the default run launcher whether a
worker is alive, so nothing ends such a run. Parity runs on one machine (the warehouse is an
embedded DuckDB file), so the process that started a run can be looked up by its pid: a run
whose process is gone is marked failed (which also raises the failure alert and lets the
crashed-run retry policy act) and its pool slots are given back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import dagster as dg
from dagster._core.events import DagsterEventType, JobFailureData, RunFailureReason

_PROC = "/proc"


@dataclass(frozen=True)
class DeadRun:
    run_id: str
    pid: int


def _process_start(pid: int) -> float | None:
    """Epoch seconds at which ``pid`` started, or None if no such process (Linux /proc)."""
    try:
        with open(os.path.join(_PROC, str(pid), "stat")) as handle:
            stat = handle.read()
        with open(os.path.join(_PROC, "stat")) as handle:
            boot = next(float(line.split()[1]) for line in handle if line.startswith("btime"))
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": field 3 onwards
    if fields[0] in ("Z", "X"):  # a zombie: dead, only not yet reaped by its parent
        return None
    return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: start time


def process_alive(pid: int, started_before: float) -> bool:
    """Whether the process that emitted an event at ``started_before`` still runs: a process
    with the same pid that started later is another one (pid reuse)."""
    if not os.path.isdir(_PROC):  # no /proc: only ask whether some process has the pid
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    start = _process_start(pid)
    return start is not None and start <= started_before + 2  # boot time has 1 s resolution


def dead_runs(instance: dg.DagsterInstance, exclude: str | None = None) -> list[DeadRun]:
    """STARTED runs of this instance whose run process no longer exists."""
    found = []
    for record in instance.get_run_records(
            filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED])):
        run_id = record.dagster_run.run_id
        if run_id == exclude:
            continue
        starts = instance.all_logs(run_id, of_type=DagsterEventType.RUN_START)
        if not starts or starts[-1].dagster_event is None or not starts[-1].dagster_event.pid:
            continue  # started elsewhere, by a launcher that records no pid: not ours to judge
        entry = starts[-1]
        if not process_alive(entry.dagster_event.pid, entry.timestamp):
            found.append(DeadRun(run_id, entry.dagster_event.pid))
    return found


def end_dead_runs(instance: dg.DagsterInstance, exclude: str | None = None) -> list[DeadRun]:
    """Mark every dead run failed and give back its pool slots; returns what was ended."""
    ended = dead_runs(instance, exclude)
    for dead in ended:
        run = instance.get_run_by_id(dead.run_id)
        if run is None or run.status != dg.DagsterRunStatus.STARTED:
            continue
        instance.report_run_failed(
            run, f"run process {dead.pid} is gone (killed or crashed) while the run was "
                 "STARTED; marked failed and its warehouse pool slot given back",
            JobFailureData(error=None, failure_reason=RunFailureReason.UNEXPECTED_TERMINATION))
        if instance.event_log_storage.supports_global_concurrency_limits:
            instance.event_log_storage.free_concurrency_slots_for_run(dead.run_id)
    return ended
