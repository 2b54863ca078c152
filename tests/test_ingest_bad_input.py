"""Known-bad extracts: each kind gives a clear rejection or quarantine reason, and nothing is lost
(rows read = rows loaded + rows quarantined, checked by the reconciliation query every load)."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest

from .ingest_helpers import (DAY, column_index, copy_into, kind, load, mutated, quarantine,
                             read_rows, register, set_cell, source_file, write_rows)


# (id, source, mutation, check name expected on the quarantined row, rows quarantined)
ROW_CASES = [
    ("wrong_type", "crm_interactions", lambda r: set_cell(r, 1, "talk_seconds", "abc"),
     "type_int", 1),
    ("negative_duration", "crm_interactions", lambda r: set_cell(r, 2, "hold_seconds", "-30"),
     "greater_than_or_equal_to(0)", 1),
    ("ended_before_answered", "crm_interactions",
     lambda r: set_cell(r, 3, "ended_at", "2026-01-06T06:00:00-05:00"),
     "ended_at_not_before_answered_at", 1),
    ("duplicate_id_in_file", "crm_interactions",
     lambda r: set_cell(r, 4, "interaction_id", r[1][0]), "duplicate_key_in_file", 1),
    ("unknown_code", "crm_interactions", lambda r: set_cell(r, 5, "channel", "fax"),
     "isin(['voice', 'chat', 'email'])", 1),
    ("naive_timestamp", "crm_interactions",
     lambda r: set_cell(r, 6, "offered_at", r[6][column_index(r, "offered_at")][:19]),
     "timestamp_without_offset", 1),
    ("unparseable_timestamp", "crm_interactions",
     lambda r: set_cell(r, 6, "ended_at", "yesterday"), "type_timestamp", 1),
    ("future_date", "crm_interactions",
     lambda r: set_cell(set_cell(set_cell(r, 7, "offered_at", "2099-01-01T08:00:00+00:00"), 7,
                         "answered_at", "2099-01-01T08:00:05+00:00"), 7, "ended_at",
                    "2099-01-01T08:05:00+00:00"),
     "less_than_or_equal_to", 1),
    ("formula_injection", "crm_interactions",
     lambda r: set_cell(r, 8, "queue", "=HYPERLINK(\"http://x\")"), "str_matches", 1),
    ("plus_injection", "crm_interactions", lambda r: set_cell(r, 8, "contact_reason", "+cmd"),
     "str_matches", 1),
    ("bad_boolean", "crm_interactions", lambda r: set_cell(r, 9, "abandoned", "maybe"),
     "type_bool", 1),
    ("csat_out_of_range", "surveys", lambda r: set_cell(r, 1, "csat", "6"),
     "less_than_or_equal_to(5)", 1),
    ("nps_out_of_range", "surveys", lambda r: set_cell(r, 2, "nps", "11"),
     "less_than_or_equal_to(10)", 1),
    ("ces_outside_its_scale", "surveys",
     lambda r: set_cell(set_cell(set_cell(r, 3, "ces_scale", "1-5"), 3, "ces_version", "CES1.0"), 3,
                    "ces", "7"), "ces_within_its_scale", 1),
    ("qa_score_above_max", "qa_evaluations", lambda r: set_cell(r, 1, "score", "9"),
     "score_within_max", 1),
    ("qa_weight_zero", "qa_evaluations", lambda r: set_cell(r, 2, "weight", "0"),
     "greater_than_or_equal_to(1)", 1),
    ("schedule_end_before_start", "wfm_schedules",
     lambda r: set_cell(r, 1, "end_at", r[1][column_index(r, "start_at")]), "end_after_start", 1),
    ("roster_agent_twice", "agents", lambda r: r + [r[1]], "duplicate_key_in_file", 1),
    ("truncated_last_line", "crm_interactions",
     lambda r: r[:-1] + [r[-1][:5]], "field_count", 1),
]
for _case in ROW_CASES:
    register(_case[0], _case[1], "quarantined", _case[3])


@pytest.mark.parametrize("case", ROW_CASES, ids=[c[0] for c in ROW_CASES])
def test_bad_rows_are_quarantined_with_their_reason(case, landing, tmp_path, con):
    _, source, mutate, check, expected = case
    path, n = mutated(landing, tmp_path, source, mutate)
    result = load(con, source, path)
    assert result.status == "loaded"
    assert result.rows_read == n + (1 if case[0] == "roster_agent_twice" else 0)
    assert result.rows_quarantined == expected
    rows = quarantine(con, source)
    assert len(rows) == expected
    line, check_name, column, message, failures = rows[0]
    assert check_name.startswith(check), (check_name, message)
    assert line >= 2 and message


@kind("invalid_utf8_row", "crm_interactions", "quarantined", "invalid_utf8")
def test_invalid_utf8_row_is_quarantined_and_the_rest_load(landing, tmp_path, con):
    src = source_file(landing, "crm_interactions")
    lines = src.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b'",', b'\xff",', 1)  # inside the first field
    path = tmp_path / "crm_interactions" / src.name
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\n".join(lines))
    result = load(con, "crm_interactions", path)
    assert result.rows_quarantined == 1
    line, check, _, message, _ = quarantine(con, "crm_interactions")[0]
    assert (line, check) == (4, "invalid_utf8") and "interaction_id" in message


@kind("byte_order_mark", "surveys", "loaded")
def test_byte_order_mark_is_accepted(landing, tmp_path, con):
    src = source_file(landing, "surveys")
    path = tmp_path / "surveys" / src.name
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xef\xbb\xbf" + src.read_bytes())
    result = load(con, "surveys", path)
    assert result.status == "loaded" and result.rows_quarantined == 0
    assert result.rows_loaded == len(read_rows(src)) - 1


@kind("extra_column", "wfm_schedules", "loaded", "ignored extra column(s)")
def test_extra_column_is_loaded_and_noted(landing, tmp_path, con):
    path, n = mutated(landing, tmp_path, "wfm_schedules",
                       lambda r: [row + (["site_note"] if i == 0 else ["x"])
                                  for i, row in enumerate(r)])
    result = load(con, "wfm_schedules", path)
    assert result.rows_loaded == n and "ignored extra column(s): site_note" in result.notes


@kind("reordered_columns", "surveys", "loaded")
def test_reordered_columns_load_by_name(landing, tmp_path, con):
    path, n = mutated(landing, tmp_path, "surveys",
                       lambda r: [list(reversed(row)) for row in r])
    assert load(con, "surveys", path).rows_loaded == n


FILE_CASES = [
    ("missing_column", lambda b: b.replace(b'"talk_seconds",', b"", 1),
     "missing required column(s): talk_seconds"),
    ("empty_file", lambda b: b"", "empty file (0 bytes)"),
    ("wrong_delimiter", lambda b: b.replace(b",", b";"), "wrong delimiter"),
    ("gzip_named_csv", lambda b: gzip.compress(b), "gzip-compressed"),
    ("header_not_utf8", lambda b: b"\xff\xfe" + b, "header is not UTF-8"),
    ("duplicate_header", lambda b: b.replace(b'"hold_seconds"', b'"talk_seconds"', 1),
     "duplicate column name"),
]
for _case in FILE_CASES:
    register(_case[0], "crm_interactions", "rejected", _case[2])


@pytest.mark.parametrize("case", FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_broken_files_are_rejected_whole_and_counted(case, landing, tmp_path, con):
    _, mutate, problem = case
    src = source_file(landing, "crm_interactions")
    path = tmp_path / "crm_interactions" / src.name
    path.parent.mkdir(parents=True)
    path.write_bytes(mutate(src.read_bytes()))
    result = load(con, "crm_interactions", path)
    assert result.status == "rejected"
    assert problem in result.error and src.name in result.error
    assert result.rows_loaded == 0
    assert result.rows_quarantined == result.rows_read
    if case[0] not in ("empty_file", "gzip_named_csv"):
        assert result.rows_read == len(read_rows(src)) - 1
    assert con.execute("select count(*) from raw.crm_interactions").fetchone()[0] == 0
    ledger = con.execute("select status, error from ingest.ledger").fetchall()
    assert ledger == [("rejected", result.error)]


@kind("header_only_file", "crm_interactions", "loaded")
def test_header_only_file_loads_nothing(landing, tmp_path, con):
    path, _ = mutated(landing, tmp_path, "crm_interactions", lambda r: r[:1])
    result = load(con, "crm_interactions", path)
    assert (result.status, result.rows_read, result.rows_loaded) == ("loaded", 0, 0)


@kind("duplicate_id_across_files", "crm_interactions", "quarantined",
      "duplicate_key_across_files")
def test_duplicate_ids_across_files(landing, tmp_path, con):
    first = copy_into(landing, tmp_path, "crm_interactions")
    load(con, "crm_interactions", first)
    rows = read_rows(source_file(landing, "crm_interactions", DAY + dt.timedelta(days=1)))
    rows[1][0] = read_rows(first)[1][0]
    second = write_rows(tmp_path / "crm_interactions" / "crm_interactions_2026-01-07.csv",
                        rows)
    result = load(con, "crm_interactions", second, DAY + dt.timedelta(days=1))
    assert result.rows_quarantined == 1
    line, check, _, message, _ = quarantine(con, "crm_interactions")[0]
    assert (line, check) == (2, "duplicate_key_across_files")
    assert first.name in message


def test_every_failure_of_a_row_is_collected(landing, tmp_path, con):
    path, _ = mutated(landing, tmp_path, "surveys",
                       lambda r: set_cell(set_cell(r, 1, "csat", "9"), 1, "nps", "-1"))
    load(con, "surveys", path)
    _, _, _, _, failures = quarantine(con, "surveys")[0]
    assert "csat" in failures and "nps" in failures
