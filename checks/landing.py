"""Checks on the landing inventory."""


import dagster as dg
from dagster_duckdb import DuckDBResource

from parity.contract import SOURCES


def missing_sources(present: set[str]) -> list[str]:
    return [s for s in SOURCES if s not in present]


@dg.asset_check(asset=dg.AssetKey(["landing", "files"]), blocking=False)
def landing_files_cover_every_source(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    """Every one of the six sources has at least one landed file (warns, never blocks)."""
    with warehouse.get_connection() as con:
        present = {row[0] for row in con.execute(
            "select distinct source from landing.files").fetchall()}
    missing = missing_sources(present)
    return dg.AssetCheckResult(
        passed=not missing,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"missing_sources": ", ".join(missing) or "none"},
        description=("all six sources landed" if not missing
                     else f"no files for: {', '.join(missing)}"),
    )
