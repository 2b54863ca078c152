"""Bad-input corpus, the shape of the file: headers, line endings, quoting and bytes.

A broken schema rejects the file naming it and the columns; a broken record is quarantined on
its own with its physical line; harmless variations (case, CRLF, blank lines, padding) load.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq

from .ingest_helpers import (kind, ledger, load, mutated, quarantine, read_rows,
                             set_cell, source_file, write_text)


def _lines(landing, source) -> list[str]:
    return source_file(landing, source).read_text(encoding="utf-8").splitlines()


@kind("renamed_required_column", "crm_interactions", "rejected",
      "missing required column(s): talk_seconds; unexpected column(s): talk_time")
def test_a_required_column_renamed_by_the_vendor_is_named_both_ways(landing, tmp_path, con):
    path, n = mutated(landing, tmp_path, "crm_interactions",
                      lambda r: [["talk_time" if c == "talk_seconds" else c for c in r[0]]]
                      + r[1:])
    result = load(con, "crm_interactions", path)
    assert result.status == "rejected"
    assert result.error.startswith(
        "crm_interactions_2026-01-06.csv: missing required column(s): talk_seconds; "
        "unexpected column(s): talk_time (header has: interaction_id, ")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (n, 0, n)


@kind("renamed_optional_column", "surveys", "loaded", "optional column(s) absent: comment")
def test_an_optional_column_renamed_loads_without_it_and_says_so(landing, tmp_path, con):
    path, n = mutated(landing, tmp_path, "surveys",
                      lambda r: [["comments" if c == "comment" else c for c in r[0]]] + r[1:])
    result = load(con, "surveys", path)
    assert (result.status, result.rows_loaded) == ("loaded", n)
    assert result.notes == ("ignored extra column(s): comments; "
                            "optional column(s) absent: comment")
    assert con.execute("select count(comment) from raw.surveys").fetchone()[0] == 0


@kind("header_different_case", "wfm_agent_states", "loaded",
      "header names matched ignoring case")
def test_a_header_in_another_case_is_matched_and_noted(landing, tmp_path, con):
    path, n = mutated(landing, tmp_path, "wfm_agent_states",
                      lambda r: [["Agent_ID", "STATE", *r[0][2:]]] + r[1:])
    result = load(con, "wfm_agent_states", path)
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", n, 0)
    assert result.notes == "header names matched ignoring case: Agent_ID -> agent_id, " \
                           "STATE -> state"
    assert con.execute("select agent_id, state from raw.wfm_agent_states "
                       "where _line_number = 2").fetchone() == ("A00001", "available")


@kind("quoted_newline", "surveys", "loaded")
def test_quoted_newlines_load_and_later_line_numbers_stay_right(landing, tmp_path, con):
    def mutate(rows):
        set_cell(rows, 2, "comment", "Line one,\nline two \"quoted\"\r\nline three")
        return set_cell(rows, 5, "csat", "9")  # a bad row after it: physical line 6 + 2
    path, n = mutated(landing, tmp_path, "surveys", mutate)
    result = load(con, "surveys", path)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (n, n - 1, 1)
    assert quarantine(con, "surveys")[0][:2] == (8, "less_than_or_equal_to(5)")
    lines = [r[0] for r in con.execute(
        "select _line_number from raw.surveys order by _line_number limit 4").fetchall()]
    assert lines == [2, 3, 6, 7]  # the record of line 3 spans lines 3 to 5


@kind("crlf_line_endings", "wfm_agent_states", "loaded")
def test_windows_line_endings_load_the_same_values(landing, tmp_path, con):
    text = "\r\n".join(_lines(landing, "wfm_agent_states")) + "\r\n"
    result = load(con, "wfm_agent_states", write_text(tmp_path, "wfm_agent_states", text))
    assert (result.rows_loaded, result.rows_quarantined) == (5492, 0)
    assert con.execute("select state, reason_code, end_at from raw.wfm_agent_states "
                       "where _line_number = 2").fetchone() == (
        "available", None, dt.datetime(2026, 1, 6, 15, 0, 16, tzinfo=dt.timezone.utc))


@kind("trailing_blank_lines", "wfm_schedules", "loaded")
def test_blank_lines_are_not_records(landing, tmp_path, con):
    lines = _lines(landing, "wfm_schedules")
    text = "\n".join(lines[:3] + ["", "   ", "\t"] + lines[3:]) + "\n\n \n\n"
    result = load(con, "wfm_schedules", write_text(tmp_path, "wfm_schedules", text))
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (286, 286, 0)


@kind("whitespace_around_values", "wfm_schedules", "loaded")
def test_values_are_trimmed(landing, tmp_path, con):
    path, n = mutated(landing, tmp_path, "wfm_schedules",
                      lambda r: set_cell(set_cell(r, 1, "agent_id", "  A00001 "), 1,
                                         "activity", " open\t"))
    result = load(con, "wfm_schedules", path)
    assert (result.rows_loaded, result.rows_quarantined) == (n, 0)
    assert con.execute("select agent_id, activity from raw.wfm_schedules "
                       "where _line_number = 2").fetchone() == ("A00001", "open")


@kind("nul_byte", "crm_interactions", "quarantined", "nul_byte")
def test_a_nul_byte_quarantines_its_record(landing, tmp_path, con):
    data = source_file(landing, "crm_interactions").read_bytes().split(b"\n")
    data[3] = data[3].replace(b'"IX', b'"I\x00X', 1)
    path = write_text(tmp_path, "crm_interactions", b"\n".join(data))
    result = load(con, "crm_interactions", path)
    assert (result.rows_read, result.rows_quarantined) == (2293, 1)
    [(line, check, column, message, _)] = quarantine(con, "crm_interactions")
    assert (line, check, column) == (4, "nul_byte", None)
    assert message == "column interaction_id: a NUL byte (0x00), binary data in a text field"


@kind("extremely_long_field", "surveys", "quarantined", "field_too_long")
def test_a_field_over_a_million_characters_is_quarantined(landing, tmp_path, con):
    def mutate(rows):
        set_cell(rows, 1, "comment", "x" * 1_000_001)
        return set_cell(rows, 2, "comment", "long but fine " * 20_000)  # 280,000 characters
    path, n = mutated(landing, tmp_path, "surveys", mutate)
    result = load(con, "surveys", path)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (n, n - 1, 1)
    [(line, check, _, message, _)] = quarantine(con, "surveys")
    assert (line, check) == (2, "field_too_long")
    assert message == "a field is longer than 1,000,000 characters"
    raw = con.execute("select raw_row from ingest.quarantine").fetchone()[0]
    assert "withheld" in raw and len(raw) < 500  # may hold PII: only its fingerprint is kept


@kind("unbalanced_quote", "surveys", "quarantined", "unbalanced_quote")
def test_an_unclosed_quote_loses_only_its_own_line(landing, tmp_path, con):
    lines = _lines(landing, "surveys")
    lines[2] = lines[2].rsplit(",", 1)[0] + ',"Great, but'  # the comment's quote never closes
    path = write_text(tmp_path, "surveys", "\n".join(lines) + "\n")
    result = load(con, "surveys", path)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (266, 265, 1)
    [(line, check, _, message, _)] = quarantine(con, "surveys")
    assert (line, check) == (3, "unbalanced_quote")
    assert message.startswith("a quote opened on this line is never closed")
    assert con.execute("select min(_line_number), max(_line_number) from raw.surveys "
                       "where _line_number > 2").fetchone() == (4, 267)


@kind("parquet_named_csv", "crm_interactions", "rejected",
      "Parquet data in a file named like CSV")
def test_parquet_bytes_in_a_csv_name_are_rejected(landing, tmp_path, con):
    rows = read_rows(source_file(landing, "crm_interactions"))
    table = pa.table({c: [r[i] for r in rows[1:]] for i, c in enumerate(rows[0])})
    path = tmp_path / "crm_interactions" / "crm_interactions_2026-01-06.csv"
    path.parent.mkdir(parents=True)
    pq.write_table(table, path)
    result = load(con, "crm_interactions", path)
    assert result.status == "rejected"
    assert result.error == ("crm_interactions_2026-01-06.csv: Parquet data in a file named "
                            "like CSV")
    assert result.rows_read == result.rows_quarantined


@kind("corrupt_parquet", "agents", "rejected", "unreadable Parquet file")
def test_a_truncated_parquet_file_is_rejected(tmp_path, con):
    path = write_text(tmp_path, "agents", b"PAR1\x00\x01garbage", "agents_2026-01-06.parquet")
    result = load(con, "agents", path)
    assert result.status == "rejected"
    assert result.error.startswith("agents_2026-01-06.parquet: unreadable Parquet file")
    assert (result.rows_read, result.rows_quarantined) == (0, 0)


@kind("header_missing", "surveys", "rejected",
      "no header row: the first line names none of the expected columns")
def test_a_missing_header_is_rejected_without_quoting_the_data_row(landing, tmp_path, con):
    path, n = mutated(landing, tmp_path, "surveys", lambda r: r[1:])
    first = read_rows(path)[0]
    result = load(con, "surveys", path)
    assert result.status == "rejected"
    assert result.error.startswith("surveys_2026-01-06.csv: no header row: the first line "
                                   "names none of the expected columns (")
    # the first line is a data row (it may hold a customer's comment): none of it is echoed
    assert not [cell for cell in first if len(cell) >= 4 and cell in result.error]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (n - 1, 0, n - 1)


@kind("blank_header_line", "wfm_schedules", "rejected", "no header row")
def test_a_blank_first_line_is_rejected(landing, tmp_path, con):
    text = "\n" + source_file(landing, "wfm_schedules").read_text(encoding="utf-8")
    result = load(con, "wfm_schedules", write_text(tmp_path, "wfm_schedules", text))
    assert result.error == ("wfm_schedules_2026-01-06.csv: no header row: the first line "
                            "is blank")
    # every line after the blank one is counted as unread, the real header included
    assert (result.rows_read, result.rows_quarantined) == (287, 287)


@kind("no_business_date", "qa_evaluations", "rejected", "no business date")
def test_a_file_without_a_date_is_rejected(landing, tmp_path, con):
    path = write_text(tmp_path, "qa_evaluations",
                      source_file(landing, "qa_evaluations").read_bytes(), "qa_latest.csv")
    result = load(con, "qa_evaluations", path, day=None)
    assert result.status == "rejected"
    assert result.error.startswith("qa_latest.csv: no business date: put a date")
    assert ledger(con, "qa_evaluations")[0][:4] == ("rejected", 66, 0, 66)



def test_an_unclosed_quote_running_past_the_field_limit_still_loses_one_line(tmp_path, con):
    rows = [f"A{i:05d},open,2026-01-06T09:00:00-05:00,2026-01-06T10:00:00-05:00"
            for i in range(25_000)]  # 25,000 lines of 65 characters: 1.6 MB after the quote
    text = "agent_id,activity,start_at,end_at\n" + "B1,\"open,x,y\n" + "\n".join(rows) + "\n"
    result = load(con, "wfm_schedules", write_text(tmp_path, "wfm_schedules", text))
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (25_001, 25_000, 1)
    assert [r[:2] for r in quarantine(con, "wfm_schedules")] == [(2, "unbalanced_quote")]
    assert con.execute("select max(_line_number) from raw.wfm_schedules").fetchone() == (25_002,)
