"""great-expectations suites: they pass on the built warehouse, and each expectation fails on
a known-bad frame made to break it."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from checks.expectations import SUITES, row_count_changes, run_suite, validate

BY_NAME = {suite.name: suite for suite in SUITES}
UNITS = {"csat": "ratio", "aht": "seconds", "nps": "points", "ces": "score", "asa": "seconds",
         "time_to_proficiency": "days"}


@pytest.mark.parametrize("suite", SUITES, ids=lambda s: s.name)
def test_every_suite_passes_on_the_built_warehouse(built, suite):
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        frame, results = run_suite(con, suite)
    assert len(frame) > 0 and results
    assert [r for r in results if not r["success"]] == []


def _failed(frame: pd.DataFrame, suite_name: str) -> dict:
    suite = BY_NAME[suite_name]
    results = validate(frame, suite.expectations(frame, UNITS), suite_name)
    return {(r["expectation"], r["kwargs"].get("column") or r["kwargs"].get("column_A"),
             r["kwargs"].get("column_B")): r for r in results}


def test_every_metric_range_fails_on_an_impossible_value():
    good = {"csat": 0.5, "aht": 300.0, "nps": 20.0, "ces": 5.0, "asa": 30.0,
            "time_to_proficiency": 90.0}
    bad = {"csat": 1.2, "aht": 5 * 3600.0, "nps": 120.0, "ces": 0.5, "asa": 8 * 86400.0,
           "time_to_proficiency": -3.0}
    results = _failed(pd.DataFrame([good, bad]), "gx_metric_values_in_range")
    assert len(results) == len(good)
    for metric in good:
        result = results[("expect_column_values_to_be_between", metric, None)]
        assert not result["success"] and result["unexpected_count"] == 1, metric
    assert all(r["success"] for r in _failed(pd.DataFrame([good]),
                                             "gx_metric_values_in_range").values())


def test_each_percentile_order_fails_when_broken():
    rows = pd.DataFrame({"p25": [1.0, 3.0, 1.0, 1.0], "p50": [2.0, 2.0, None, 2.0],
                         "p75": [3.0, 3.0, 3.0, 1.5], "p90": [4.0, 4.0, 4.0, 1.0]})
    results = _failed(rows, "gx_percentiles_monotone")
    assert not results[("expect_column_values_to_not_be_null", "p50", None)]["success"]
    for a, b in (("p50", "p25"), ("p75", "p50"), ("p90", "p75")):
        assert not results[("expect_column_pair_values_a_to_be_greater_than_b", a, b)][
            "success"], (a, b)
    assert all(r["success"] for r in _failed(rows.iloc[:1], "gx_percentiles_monotone").values())


def test_a_target_outside_baseline_and_best_peer_fails():
    rows = pd.DataFrame({"target_value": [0.7, 0.4, 0.95], "lower_bound": [0.5, 0.5, 0.5],
                         "upper_bound": [0.9, 0.9, 0.9]})
    results = _failed(rows, "gx_targets_between_baseline_and_best_peer")
    below = results[("expect_column_pair_values_a_to_be_greater_than_b", "target_value",
                     "lower_bound")]
    above = results[("expect_column_pair_values_a_to_be_greater_than_b", "upper_bound",
                     "target_value")]
    assert not below["success"] and below["unexpected_count"] == 1
    assert not above["success"] and above["unexpected_count"] == 1


def test_a_scope_ranked_under_the_minimum_sample_fails():
    rows = pd.DataFrame({"events": [30, 24], "minimum_sample": [25, 25]})
    (result,) = _failed(rows, "gx_no_scope_ranked_under_minimum_sample").values()
    assert not result["success"] and result["unexpected_count"] == 1


def test_a_row_count_jump_fails_and_small_tables_get_slack():
    previous = {"marts.fct_contacts": 1000, "benchmarks.bm_signals": 3, "marts.dim_sites": 3}
    now = {"marts.fct_contacts": 400, "benchmarks.bm_signals": 40, "marts.dim_sites": 3}
    frame, expectations = row_count_changes(previous, now)
    (result,) = validate(frame, expectations, "row_counts")
    assert not result["success"] and result["unexpected_count"] == 1  # only fct_contacts
    frame, expectations = row_count_changes(previous, {**now, "marts.fct_contacts": 1010})
    assert validate(frame, expectations, "row_counts")[0]["success"]
