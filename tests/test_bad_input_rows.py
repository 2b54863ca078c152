"""Bad-input corpus, bad rows of every source: each row is quarantined with its check, column
and a message in plain words; the rest of the file loads (rows read = loaded + quarantined)."""

from __future__ import annotations

import pytest

from .ingest_helpers import load, mutated, quarantine, register, set_cell


def _twice(rows, row):
    return rows + [list(rows[row])]


# (id, source, mutation, check, column, words in the message, physical line quarantined)
CASES = [
    ("csat_ten_point_row", "surveys", lambda r: set_cell(r, 1, "csat", "8"),
     "less_than_or_equal_to(5)", "csat", "8 is above the maximum 5", 2),
    ("csat_zero_to_ten_row", "surveys", lambda r: set_cell(r, 2, "csat", "0"),
     "greater_than_or_equal_to(1)", "csat", "0 is below the minimum 1", 3),
    ("negative_survey_value", "surveys", lambda r: set_cell(r, 3, "nps", "-3"),
     "greater_than_or_equal_to(0)", "nps", "-3 is below the minimum 0", 4),
    ("survey_unknown_resolved", "surveys",
     lambda r: set_cell(r, 4, "customer_resolved", "maybe"), "isin(['yes', 'no'])",
     "customer_resolved", "'maybe' is not one of the allowed values", 5),
    ("ces_version_mismatch", "surveys", lambda r: set_cell(r, 1, "ces_version", "CES1.0"),
     "ces_version_matches_scale", None, "ces_version and ces_scale disagree", 2),
    ("unknown_state_code", "wfm_agent_states",
     lambda r: set_cell(r, 5, "state", "lunch_break"), "isin(['available'", "state",
     "'lunch_break' is not one of the allowed values", 6),
    ("state_end_before_start", "wfm_agent_states",
     lambda r: set_cell(r, 1, "end_at", "2026-01-06T09:00:00-05:00"), "end_after_start",
     None, "end_at is not after start_at", 2),
    ("state_logged_twice", "wfm_agent_states", lambda r: _twice(r, 3),
     "duplicate_key_in_file", "agent_id, start_at", "repeats an earlier row", None),
    ("required_value_missing", "wfm_schedules", lambda r: set_cell(r, 4, "agent_id", ""),
     "not_nullable", "agent_id", "agent_id: required value is empty", 5),
    ("segment_over_24_hours", "wfm_schedules",
     lambda r: set_cell(r, 2, "end_at", "2026-01-07T18:00:00-05:00"), "segment_under_24_hours",
     None, "longer than 24 hours", 3),
    ("qa_max_score_zero", "qa_evaluations",
     lambda r: set_cell(set_cell(r, 1, "score", "0"), 1, "max_score", "0"),
     "greater_than_or_equal_to(1)", "max_score", "0 is below the minimum 1", 2),
    ("qa_item_twice", "qa_evaluations", lambda r: _twice(r, 2), "duplicate_key_in_file",
     "evaluation_id, item", "repeats an earlier row", None),
    ("abandoned_with_agent", "crm_interactions",
     lambda r: set_cell(r, 1, "abandoned", "true"), "abandoned_has_no_agent", None,
     "an abandoned contact has an agent", 2),
    ("answered_before_offered", "crm_interactions",
     lambda r: set_cell(r, 2, "answered_at", "2026-01-06T00:00:00-07:00"),
     "answered_at_not_before_offered_at", None, "answered_at is before offered_at", 3),
    ("termination_before_hire", "agents",
     lambda r: set_cell(r, 1, "termination_date", "2015-01-01"),
     "termination_date_not_before_hire_date", None, "termination_date is before hire_date", 2),
    ("hire_date_not_a_date", "agents", lambda r: set_cell(r, 2, "hire_date", "30/10/2019"),
     "type_date", "hire_date", "hire_date: not a date: 30/10/2019", 3),
    ("hire_date_in_future", "agents", lambda r: set_cell(r, 3, "hire_date", "2099-01-01"),
     "less_than_or_equal_to", "hire_date", "2099-01-01 is in the future", 4),
]
for _case in CASES:
    register(_case[0], _case[1], "quarantined", _case[3])


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_row_is_quarantined_with_check_column_and_words(case, landing, tmp_path, con):
    kind_id, source, mutate, check, column, words, line = case
    path, n = mutated(landing, tmp_path, source, mutate)
    appended = 1 if line is None else 0  # the repeated row is appended as the last line
    result = load(con, source, path)
    assert result.status == "loaded"
    assert (result.rows_read, result.rows_quarantined) == (n + appended, 1)
    assert result.rows_loaded == n + appended - 1
    [(got_line, got_check, got_column, message, failures)] = quarantine(con, source)
    assert got_line == (n + 2 if line is None else line)
    assert got_check.startswith(check), (got_check, message)
    assert got_column == column
    assert words in message, message
    assert check.split("(")[0] in failures
