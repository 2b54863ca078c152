"""The run launcher of the instance: Dagster's default one, plus the worker health check that
run monitoring needs to end a run whose process was killed (see orchestration/recovery.py).

With the daemon running (`make ui`), run monitoring asks this launcher about every STARTED run;
a dead one is marked failed, its pool slot is freed after `free_slots_after_run_end_seconds`,
the run queue moves on, the failure alert fires and the crashed-run retry policy applies.
"""

from dagster._core.events import DagsterEventType
from dagster._core.launcher import DefaultRunLauncher
from dagster._core.launcher.base import CheckRunHealthResult, WorkerStatus
from dagster._core.storage.dagster_run import DagsterRun

from orchestration.recovery import process_alive


class ParityRunLauncher(DefaultRunLauncher):
    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        starts = self._instance.all_logs(run.run_id, of_type=DagsterEventType.RUN_START)
        event = starts[-1].dagster_event if starts else None
        if event is None or not event.pid:
            return CheckRunHealthResult(WorkerStatus.UNKNOWN, "no run process recorded yet")
        if process_alive(event.pid, starts[-1].timestamp):
            return CheckRunHealthResult(WorkerStatus.RUNNING)
        return CheckRunHealthResult(
            WorkerStatus.FAILED, f"run process {event.pid} is gone (killed or crashed)")
