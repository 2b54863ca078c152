"""The benchmark harness: its baselines compute Parity's numbers, and its measurements hold.

Figures, not pass/fail: nothing here asserts a duration. The raw DuckDB floor (floor.sql) and
the pandas script must give the numbers of Parity's marts, or their ratios compare different
work; both are checked against hand-derived values on a handful of contacts and against the
marts of the session warehouse.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from parity.bench import agreement, analyst, floor, render
from parity.bench.measure import GIB, measure

CRM = ["interaction_id", "case_id", "customer_id", "customer_phone", "channel", "direction",
       "contact_reason", "agent_id", "offered_at", "answered_at", "ended_at", "queue_seconds",
       "talk_seconds", "hold_seconds", "acw_seconds", "abandoned", "transferred"]


def _write(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def _contact(iid, case, customer, channel, reason, agent, offered, answered, ended, queue,
             talk, abandoned):
    return [iid, case, customer, "", channel, "inbound", reason, agent, offered, answered,
            ended, queue, talk, 0, 0, "true" if abandoned else "false", "false"]


@pytest.fixture
def tiny(tmp_path) -> Path:
    """Eight contacts whose metrics are worked out by hand in the tests below."""
    land = tmp_path / "landing"
    agents = ["agent_id", "site_timezone"]
    _write(land / "agents" / "agents_2026-01-05.csv", agents,
           [["A1", "America/Chicago"], ["A2", "America/New_York"]])
    # the latest snapshot wins: A1 has moved to the Los Angeles site
    _write(land / "agents" / "agents_2026-01-06.csv", agents,
           [["A1", "America/Los_Angeles"], ["A2", "America/New_York"]])
    _write(land / "crm_interactions" / "crm_interactions_2026-01-05.csv", CRM, [
        # C1 about billing: I1 is followed by I2 within 7 days (unresolved), I2 is a repeat.
        # 23:30 New York is 20:30 in Los Angeles: A1's business date is the 5th.
        _contact("I1", "", "C1", "voice", "billing", "A1", "2026-01-05T23:30:00-05:00",
                 "2026-01-05T23:30:10-05:00", "2026-01-05T23:33:00-05:00", 10, 150, False),
        _contact("I2", "", "C1", "voice", "billing", "A2", "2026-01-08T10:00:00-05:00",
                 "2026-01-08T10:00:30-05:00", "2026-01-08T10:04:00-05:00", 30, 200, False),
        # one case, two legs (a transfer): the case belongs to its first answered leg, A1
        _contact("I3a", "K1", "C2", "voice", "tech", "A1", "2026-01-06T09:00:00-05:00",
                 "2026-01-06T09:00:05-05:00", "2026-01-06T09:01:05-05:00", 5, 60, False),
        _contact("I3b", "K1", "C2", "voice", "tech", "A2", "2026-01-06T09:05:00-05:00",
                 "2026-01-06T09:05:03-05:00", "2026-01-06T09:05:43-05:00", 3, 40, False),
        # a short abandon (3 s < 5 s) counts nowhere; a 40 s abandon counts
        _contact("I4", "", "", "voice", "tech", "", "2026-01-06T12:00:00-05:00", "",
                 "2026-01-06T12:00:03-05:00", 3, 0, True),
        _contact("I5", "", "", "voice", "tech", "", "2026-01-06T12:00:00-05:00", "",
                 "2026-01-06T12:00:40-05:00", 40, 0, True),
        # an email answered after 12 hours, queue seconds missing: derived from the times
        _contact("I7", "", "C4", "email", "billing", "A2", "2026-01-06T08:00:00-05:00",
                 "2026-01-06T20:00:00-05:00", "2026-01-06T20:05:00-05:00", "", 50, False),
        # the last contact: its FCR window (and every window within 7 days of it) is open
        _contact("I6", "", "C3", "voice", "billing", "A2", "2026-01-20T10:00:00-05:00",
                 "2026-01-20T10:00:15-05:00", "2026-01-20T10:02:00-05:00", 15, 100, False),
    ])
    _write(land / "surveys" / "surveys_2026-01-06.csv", ["interaction_id", "csat"],
           [["I1", 5], ["I3b", 3], ["I7", ""], ["IX_UNKNOWN", 5]])
    _write(land / "surveys" / "surveys_2026-01-09.csv", ["interaction_id", "csat"], [["I2", 4]])
    return land


EXPECTED = {  # (metric, business date, agent, channel): (numerator, denominator), by hand
    ("aht", "2026-01-05", "A1", None): (150, 1),
    ("aht", "2026-01-06", "A1", None): (60, 1),
    ("aht", "2026-01-06", "A2", None): (40 + 50, 2),
    ("aht", "2026-01-08", "A2", None): (200, 1),
    ("aht", "2026-01-20", "A2", None): (100, 1),
    ("csat", "2026-01-05", "A1", None): (1, 1),
    ("csat", "2026-01-06", "A2", None): (0, 1),
    ("csat", "2026-01-08", "A2", None): (1, 1),         # dated by its contact, not its answer
    ("fcr_repeat", "2026-01-05", "A1", None): (0, 1),   # I1, followed by I2
    ("fcr_repeat", "2026-01-06", "A1", None): (1, 1),   # case K1
    ("fcr_repeat", "2026-01-06", "A2", None): (1, 1),   # I7
    ("abandonment_rate", "2026-01-05", None, "voice"): (0, 1),
    ("abandonment_rate", "2026-01-06", None, "voice"): (1, 3),  # I3a, I3b, I5
    ("abandonment_rate", "2026-01-06", None, "email"): (0, 1),
    ("abandonment_rate", "2026-01-08", None, "voice"): (0, 1),
    ("abandonment_rate", "2026-01-20", None, "voice"): (0, 1),
    ("service_level", "2026-01-05", None, "voice"): (1, 1),
    ("service_level", "2026-01-06", None, "voice"): (2, 3),
    ("service_level", "2026-01-06", None, "email"): (1, 1),     # 43,200 s <= 86,400 s
    ("service_level", "2026-01-08", None, "voice"): (0, 1),     # 30 s > 20 s
    ("service_level", "2026-01-20", None, "voice"): (1, 1),
}


def _as_dict(table) -> dict:
    rows = table.to_pylist() if isinstance(table, pa.Table) else table.to_dict("records")
    return {(r["metric_name"], r["business_date"].isoformat(), r["agent_id"] or None,
             r["channel"] or None): (r["numerator"], r["denominator"]) for r in rows}


def test_floor_sql_gives_the_hand_derived_metrics(tiny):
    assert _as_dict(floor.run(tiny)) == EXPECTED


def test_pandas_script_gives_the_hand_derived_metrics(tiny):
    frame = analyst.metrics(tiny).astype(object).where(lambda f: f.notna(), None)
    assert _as_dict(frame) == EXPECTED


def test_until_leaves_out_later_files(tiny):
    # the survey answered on the 9th is left out; the crm file of the 5th holds every contact
    expected = {k: v for k, v in EXPECTED.items() if k != ("csat", "2026-01-08", "A2", None)}
    assert _as_dict(floor.run(tiny, until="2026-01-08")) == expected
    frame = analyst.metrics(tiny, until="2026-01-08").astype(object).where(
        lambda f: f.notna(), None)
    assert _as_dict(frame) == expected


def test_floor_sql_equals_the_marts(built, landing):
    result = agreement.compare(floor.run(landing), agreement.marts(built.warehouse))
    assert set(result) == set(agreement.METRICS), result
    assert agreement.agrees(result), result


def test_pandas_script_equals_the_marts(built, landing):
    result = agreement.compare(analyst.metrics(landing), agreement.marts(built.warehouse))
    assert set(result) == set(agreement.METRICS), result
    assert agreement.agrees(result), result


def test_compare_counts_a_row_on_one_side_and_a_difference():
    left = pa.table({"metric_name": ["aht", "aht"], "business_date": [1, 2],
                     "agent_id": ["A1", "A1"], "channel": [None, None],
                     "numerator": [10.0, 20.0], "denominator": [1.0, 2.0]})
    right = pa.table({"metric_name": ["aht"], "business_date": [1], "agent_id": ["A1"],
                      "channel": [None], "numerator": [12.0], "denominator": [1.0]})
    result = agreement.compare(left, right)["aht"]
    assert (result["only_left"], result["only_right"]) == (1, 0)
    assert result["max_numerator_diff"] == 2.0
    assert not agreement.agrees({"aht": result})


def test_measure_reports_the_child_peak_memory(tmp_path):
    figures = measure([sys.executable, "-c", "b = bytearray(300 * 2**20); b[::4096] = b'x' * "
                                             "len(b[::4096])"], tmp_path / "log")
    assert figures["outcome"] == "ok"
    assert figures["peak_rss_mib"] >= 300


def test_measure_caps_memory_and_time(tmp_path):
    big = measure([sys.executable, "-c", "b = bytearray(2 * 2**30)"], tmp_path / "oom",
                  memory_cap=GIB // 2)
    assert big["outcome"] == "out of memory"
    assert big["memory_cap_gib"] == 0.5
    slow = measure([sys.executable, "-c", "import time; time.sleep(60)"], tmp_path / "slow",
                   time_cap=1)
    assert slow["outcome"] == "timed out"


def test_write_docs_replaces_only_the_marked_section(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"# Benchmarks\n\nhandwritten\n\n{render.START}\nold figures\n"
                   f"{render.END}\n\nmore handwritten\n")
    render.write_docs(doc, "new figures")
    assert doc.read_text() == (f"# Benchmarks\n\nhandwritten\n\n{render.START}\nnew figures\n"
                               f"{render.END}\n\nmore handwritten\n")
