"""Where Parity reads and writes, from the environment with local defaults.

Paths are resolved against the current directory, so the Makefile (run from the repo root) and
the Dagster code location agree on them.
"""

from __future__ import annotations

import os
from pathlib import Path

LANDING_ENV = "PARITY_LANDING_DIR"
WAREHOUSE_ENV = "PARITY_WAREHOUSE"
DEFAULT_LANDING = Path("data/landing")
DEFAULT_WAREHOUSE = Path("data/warehouse/parity.duckdb")


def landing_dir() -> Path:
    """Root of the landing area: one folder per source."""
    return Path(os.environ.get(LANDING_ENV) or DEFAULT_LANDING).resolve()


def warehouse_path() -> Path:
    """The DuckDB warehouse file the pipeline writes."""
    return Path(os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE).resolve()


def dagster_home() -> Path | None:
    value = os.environ.get("DAGSTER_HOME")
    return Path(value).resolve() if value else None

MAPPINGS_ENV = "PARITY_MAPPINGS_DIR"
PARTITIONS_START_ENV = "PARITY_PARTITIONS_START"
DEFAULT_PARTITIONS_START = "2025-01-01"


def mappings_dir() -> Path | None:
    """Folder of ``<source>.yaml`` mappings; a source without a file uses the identity."""
    value = os.environ.get(MAPPINGS_ENV)
    return Path(value).resolve() if value else None


def partitions_start() -> str:
    """First business date the daily partitions cover (YYYY-MM-DD)."""
    return os.environ.get(PARTITIONS_START_ENV) or DEFAULT_PARTITIONS_START
