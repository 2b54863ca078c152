"""Resources: where the warehouse and the landing folder are, from the environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from orchestration.project import dbt_project
from parity import settings


def warehouse_resource() -> DuckDBResource:
    """The single DuckDB warehouse; the parent folder is created on first use."""
    path = settings.warehouse_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return DuckDBResource(database=str(path))


def dbt_resource() -> DbtCliResource:
    """dbt runs as a subprocess; it finds the warehouse through PARITY_WAREHOUSE."""
    os.environ.setdefault(settings.WAREHOUSE_ENV, str(settings.warehouse_path()))
    # The dbt of this environment, whether or not its bin/ is on PATH (STACK.md trap 3).
    executable = Path(sys.executable).parent / "dbt"
    return DbtCliResource(project_dir=dbt_project, dbt_executable=str(executable))
