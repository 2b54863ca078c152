"""The great-expectations suites as blocking Dagster asset checks on the published tables: a
failing suite stops the publish of the serving copy; its results are in the check metadata."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from checks.expectations import SUITES, Suite, results_markdown, run_suite
from orchestration.partitions import WAREHOUSE_POOL


def build_check(suite: Suite) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=dg.AssetKey(list(suite.asset)), pool=WAREHOUSE_POOL,
                    name=suite.name, blocking=True, description=suite.description)
    def _check(warehouse: DuckDBResource) -> dg.AssetCheckResult:
        with warehouse.get_connection() as con:
            frame, results = run_suite(con, suite)
        failed = [r for r in results if not r["success"]]
        return dg.AssetCheckResult(
            passed=not failed, severity=dg.AssetCheckSeverity.ERROR,
            metadata={"rows_checked": len(frame), "expectations": len(results),
                      "expectations_failed": len(failed),
                      "failed": "; ".join(f"{r['expectation']} {r['kwargs']}: "
                                          f"{r['unexpected_count']} rows, e.g. {r['sample']}"
                                          for r in failed) or "none",
                      "results": dg.MetadataValue.md(results_markdown(results))})

    return _check


quality_checks = [build_check(suite) for suite in SUITES]
