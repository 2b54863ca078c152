"""Publish: the serving copy for BI tools and its report, after every blocking check passed."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.dbt import parity_dbt_models
from checks.expectations import results_markdown, row_count_changes, validate
from orchestration.partitions import WAREHOUSE_POOL, daily
from parity import serving, settings

PUBLISHED_LAYERS = ("marts", "benchmarks", "reference")
SNAPSHOT_KEY = dg.AssetKey(["serving", "snapshot"])
ROW_COUNT_CHECK = "gx_row_counts_within_bounds"


def published_dbt_keys() -> list[dg.AssetKey]:
    return sorted((k for k in parity_dbt_models.keys if k.path[0] in PUBLISHED_LAYERS),
                  key=lambda k: k.to_user_string())


@dg.asset(
    key=SNAPSHOT_KEY,
    group_name="serving",
    deps=published_dbt_keys(),
    partitions_def=daily,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WAREHOUSE_POOL,
    kinds={"duckdb", "parquet"},
    check_specs=[dg.AssetCheckSpec(
        ROW_COUNT_CHECK, asset=SNAPSHOT_KEY, blocking=True,
        description="great-expectations: no published table's row count moved by more than "
                    "half (or 100 rows) against the snapshot readers see now; otherwise the "
                    "new snapshot is kept aside and readers stay on the old one.")],
    description="The serving copy BI tools read: every table of marts, benchmarks and "
                "reference plus ingest.ledger, copied into a new DuckDB file with a Parquet "
                "export of each table, then switched to atomically (`current` symlink under "
                "PARITY_SERVING_DIR). Readers open current/parity.duckdb read-only and always "
                "see one complete snapshot; old snapshots are pruned (PARITY_KEEP_SNAPSHOTS).",
)
def serving_snapshot(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
    folder = settings.serving_dir()
    folder.mkdir(parents=True, exist_ok=True)
    previous = serving.current(folder)
    with warehouse.get_connection() as con:
        snapshot = serving.write_snapshot(con, folder, context.run.run_id)
    if previous is None:
        results = []
    else:
        frame, expectations = row_count_changes(previous.tables, snapshot.tables)
        results = validate(frame, expectations, ROW_COUNT_CHECK)
    passed = all(r["success"] for r in results)
    yield dg.AssetCheckResult(
        check_name=ROW_COUNT_CHECK, passed=passed, severity=dg.AssetCheckSeverity.ERROR,
        metadata={"previous_snapshot": str(previous.path) if previous else "none (first)",
                  "results": dg.MetadataValue.md(results_markdown(results) if results
                                                 else "first publish: nothing to compare")})
    if not passed:
        raise dg.Failure(f"row counts moved beyond bounds; {snapshot.path} was written but "
                         f"not published, readers stay on {previous.path}")
    serving.switch_current(folder, snapshot)
    removed = serving.prune(folder, settings.keep_snapshots())
    context.log.info(f"published {snapshot.database} ({len(snapshot.tables)} tables); "
                     f"pruned {len(removed)} old snapshot(s)")
    yield dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(folder / "current" / serving.DATABASE_NAME)),
        "snapshot": str(snapshot.path), "tables": len(snapshot.tables),
        "rows": sum(snapshot.tables.values()), "pruned": len(removed),
        "row_counts": dg.MetadataValue.md("| table | rows |\n|---|---|\n" + "\n".join(
            f"| {t} | {n:,} |" for t, n in sorted(snapshot.tables.items())))})


@dg.asset(
    key=["serving", "report"],
    group_name="serving",
    deps=[SNAPSHOT_KEY],
    partitions_def=daily,
    backfill_policy=dg.BackfillPolicy.single_run(),
    kinds={"html"},
    description="The static HTML report of the current serving snapshot (scorecards on the "
                "four pillars per site and team, agent distributions with the peer "
                "percentiles, funnel plots, gaps, signals, targets and progress, actions), "
                "written next to it as report.html. Self-contained: opens offline.",
)
def serving_report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    from parity.report import write_report

    snapshot = serving.current(settings.serving_dir())
    if snapshot is None:
        raise dg.Failure("no serving snapshot has been published yet")
    out = write_report(snapshot.database, snapshot.path / "report.html")
    link = settings.serving_dir() / "current" / "report.html"
    context.log.info(f"report: {link}")
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(link)), "snapshot": str(snapshot.path),
        "bytes": out.stat().st_size})
