"""Resources: where the warehouse and the landing folder are, from the environment."""

import os
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from orchestration.project import dbt_project
from orchestration.recovery import end_dead_runs
from parity import settings
from parity.ingest.tables import check_writable


class WarehouseResource(DuckDBResource):
    """The DuckDB warehouse, checked once at the start of every run, before any step waits
    for the `warehouse` pool."""

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # A run killed with SIGKILL never gives its pool slot back: without this, every later
        # run would wait for that slot forever (orchestration/recovery.py).
        if context.instance is not None:
            run_id = context.dagster_run.run_id if context.dagster_run else None
            for dead in end_dead_runs(context.instance, exclude=run_id):
                context.log.warning(f"run {dead.run_id} (pid {dead.pid}) died without ending: "
                                    "marked failed, its warehouse pool slot given back")
        check_writable(Path(self.database))


def warehouse_resource() -> WarehouseResource:
    """The single DuckDB warehouse; its folder is created (and checked) when a run starts."""
    return WarehouseResource(database=str(settings.warehouse_path()))


def dbt_resource() -> DbtCliResource:
    """dbt runs as a subprocess; it finds the warehouse through PARITY_WAREHOUSE."""
    os.environ.setdefault(settings.WAREHOUSE_ENV, str(settings.warehouse_path()))
    # The dbt of this environment, whether or not its bin/ is on PATH (STACK.md trap 3).
    executable = Path(sys.executable).parent / "dbt"
    return DbtCliResource(project_dir=dbt_project, dbt_executable=str(executable))
