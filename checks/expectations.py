"""great-expectations suites on the published tables.

Each suite reads a small, aggregated frame from the warehouse with SQL (never a whole fact
table into pandas) and validates it with great-expectations on a pandas datasource in an
ephemeral context (STACK.md trap 5: GX on a SQL datasource fails on DuckDB). The same functions
run the known-bad fixtures in the tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

# Plausible range of a metric value by the unit of the catalogue (dim_metrics.unit).
UNIT_RANGES = {
    "ratio": (0.0, 1.0),
    "points": (-100.0, 100.0),  # NPS, % promoters - % detractors
    "score": (1.0, 7.0),        # CES 2.0
    "seconds": (0.0, 4 * 3600.0),
    "days": (0.0, 3650.0),
}
METRIC_RANGES = {"asa": (0.0, 7 * 86400.0)}  # an email waits hours, even days, for an answer


@dataclass(frozen=True)
class Suite:
    name: str
    asset: tuple[str, str]
    description: str
    sql: str
    expectations: Callable[[pd.DataFrame, dict], list]


def _metric_ranges(frame: pd.DataFrame, units: dict) -> list:
    import great_expectations.expectations as gxe

    out = []
    for metric in sorted(c for c in frame.columns if c in units):
        low, high = METRIC_RANGES.get(metric) or UNIT_RANGES[units[metric]]
        out.append(gxe.ExpectColumnValuesToBeBetween(column=metric, min_value=low,
                                                     max_value=high))
    return out


def _monotone(frame: pd.DataFrame, units: dict) -> list:
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToNotBeNull(column="p50")] + [
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A=a, column_B=b, or_equal=True)
        for a, b in (("p50", "p25"), ("p75", "p50"), ("p90", "p75"))]


def _targets(frame: pd.DataFrame, units: dict) -> list:
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="target_value",
                                                        column_B="lower_bound", or_equal=True),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="upper_bound",
                                                        column_B="target_value", or_equal=True)]


def _ranked(frame: pd.DataFrame, units: dict) -> list:
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="events",
                                                        column_B="minimum_sample", or_equal=True)]


SUITES = (
    Suite("gx_metric_values_in_range", ("marts", "fct_metric_rollups"),
          "great-expectations: every metric's value (team, site, center by day, week and month; "
          "agents by month) lies in the plausible range of its unit.",
          """
          pivot (
              select r.scope_type, r.scope_id, r.period_type, r.period_start, r.channel,
                     r.metric_name, r.metric_value
              from marts.fct_metric_rollups r
              where r.scope_type <> 'agent' or r.period_type = 'month'
          ) on metric_name using first(metric_value)
          """, _metric_ranges),
    Suite("gx_percentiles_monotone", ("benchmarks", "bm_peer_percentiles"),
          "great-expectations: peer percentiles are monotone, p25 <= p50 <= p75 <= p90.",
          "select scope_type, peer_group, metric_name, channel, p25, p50, p75, p90 "
          "from benchmarks.bm_peer_percentiles", _monotone),
    Suite("gx_targets_between_baseline_and_best_peer", ("benchmarks", "bm_targets"),
          "great-expectations: every target lies between its baseline and the best credible "
          "peer value.",
          "select scope_type, scope_id, metric_name, channel, start_date, target_value, "
          "least(baseline_value, best_credible_value) as lower_bound, "
          "greatest(baseline_value, best_credible_value) as upper_bound "
          "from benchmarks.bm_targets", _targets),
    Suite("gx_no_scope_ranked_under_minimum_sample", ("benchmarks", "bm_scores"),
          "great-expectations: no scope with fewer events than the metric's minimum sample is "
          "ranked, in the top quartile or a champion.",
          "select s.scope_type, s.scope_id, s.metric_name, s.channel, s.events, m.minimum_sample "
          "from benchmarks.bm_scores s join marts.dim_metrics m using (metric_name) "
          "where s.percentile_rank is not null or s.is_top_quartile or s.is_champion",
          _ranked),
)


def catalogue_units(con) -> dict[str, str]:
    return dict(con.execute("select metric_name, unit from marts.dim_metrics").fetchall())


def validate(frame: pd.DataFrame, expectations: list, name: str) -> list[dict]:
    """Run the expectations on the frame; one plain dict per expectation result."""
    import os

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # offline: no usage statistics
    import great_expectations as gx
    from great_expectations.data_context.types.base import (DataContextConfig,
                                                             InMemoryStoreBackendDefaults,
                                                             ProgressBarsConfig)

    config = DataContextConfig(store_backend_defaults=InMemoryStoreBackendDefaults(),
                               analytics_enabled=False,
                               progress_bars=ProgressBarsConfig(globally=False))
    context = gx.get_context(mode="ephemeral", project_config=config)
    source = context.data_sources.add_pandas(f"{name}_source")
    batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(
        "whole").get_batch(batch_parameters={"dataframe": frame})
    suite = gx.ExpectationSuite(name=name, expectations=expectations)
    results = batch.validate(suite, result_format="SUMMARY")
    out = []
    for result in results.results:
        config = result.expectation_config
        kwargs = {k: v for k, v in config.kwargs.items() if k in ("column", "column_A",
                                                                   "column_B", "min_value",
                                                                   "max_value")}
        details = result.result or {}
        out.append({"expectation": config.type, "kwargs": kwargs, "success": result.success,
                    "unexpected_count": details.get("unexpected_count", 0),
                    "element_count": details.get("element_count", len(frame)),
                    "sample": details.get("partial_unexpected_list", [])[:5]})
    return out


def run_suite(con, suite: Suite) -> tuple[pd.DataFrame, list[dict]]:
    """The suite's frame from the warehouse and the result of each expectation."""
    frame = con.execute(suite.sql).df()
    return frame, validate(frame, suite.expectations(frame, catalogue_units(con)), suite.name)


def results_markdown(results: list[dict]) -> str:
    head = "| expectation | on | success | unexpected | of | sample |\n|---|---|---|---|---|---|"
    rows = [f"| {r['expectation']} | {r['kwargs']} | {'yes' if r['success'] else '**no**'} | "
            f"{r['unexpected_count']} | {r['element_count']} | {r['sample']} |" for r in results]
    return "\n".join([head, *rows])


def row_count_changes(previous: dict[str, int], now: dict[str, int], max_change: float = 0.5,
                      min_rows: int = 100) -> tuple[pd.DataFrame, list]:
    """Each published table against the snapshot readers see now: its row count may move by
    max_change of the previous count or min_rows, whichever is larger; a table that vanishes
    counts as a change of all its rows (a new table is not compared)."""
    import great_expectations.expectations as gxe

    rows = [{"table": t, "previous_rows": previous.get(t, 0), "rows": now.get(t, 0),
             "change": abs(now.get(t, 0) - previous.get(t, 0)),
             "allowed_change": max(min_rows, max_change * previous.get(t, 0))}
            for t in sorted(previous)]
    frame = pd.DataFrame(rows, columns=["table", "previous_rows", "rows", "change",
                                        "allowed_change"])
    return frame, [gxe.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A="allowed_change", column_B="change", or_equal=True)]
