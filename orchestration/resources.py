"""Resources: where the warehouse and the landing folder are, from the environment."""

from __future__ import annotations

from dagster_duckdb import DuckDBResource

from parity import settings


def warehouse_resource() -> DuckDBResource:
    """The single DuckDB warehouse; the parent folder is created on first use."""
    path = settings.warehouse_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return DuckDBResource(database=str(path))
