"""Bad-input corpus, faults only visible across rows: overlapping WFM segments, gaps in the state
log, and a survey file on another scale."""

from __future__ import annotations


from .ingest_helpers import (kind, ledger, load, mutated, quarantine, set_cell, source_file,
                             write_text)

STATES = "agent_id,state,reason_code,start_at,end_at\n"
SURVEYS = "survey_id,interaction_id,responded_at,csat,nps,ces,ces_scale,ces_version\n"


@kind("schedule_overlap", "wfm_schedules", "quarantined", "schedule_segments_overlap")
def test_a_schedule_segment_overlapping_an_earlier_one_is_quarantined(landing, tmp_path, con):
    # line 2: A00001 open 10:00-12:00; line 3 (break 12:00-12:15) now starts at 11:50
    path, n = mutated(landing, tmp_path, "wfm_schedules",
                      lambda r: set_cell(r, 2, "start_at", "2026-01-06T11:50:00-05:00"))
    result = load(con, "wfm_schedules", path)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (n, n - 1, 1)
    [(line, check, column, message, _)] = quarantine(con, "wfm_schedules")
    assert (line, check, column) == (3, "schedule_segments_overlap", "start_at")
    assert message == ("segment of agent A00001 starting 2026-01-06 16:50:00 UTC overlaps "
                       "the segment on line 2, which ends 2026-01-06 17:00:00 UTC")


@kind("schedule_segment_inside_another", "wfm_schedules", "quarantined",
      "schedule_segments_overlap")
def test_a_segment_inside_another_is_quarantined_and_the_next_one_is_not(tmp_path, con):
    text = ("agent_id,activity,start_at,end_at\n"
            "A1,open,2026-01-06T09:00:00-05:00,2026-01-06T12:00:00-05:00\n"
            "A1,meeting,2026-01-06T10:00:00-05:00,2026-01-06T10:30:00-05:00\n"
            "A1,lunch,2026-01-06T12:00:00-05:00,2026-01-06T12:30:00-05:00\n"
            "A2,meeting,2026-01-06T10:00:00-05:00,2026-01-06T10:30:00-05:00\n")
    result = load(con, "wfm_schedules", write_text(tmp_path, "wfm_schedules", text))
    assert (result.rows_loaded, result.rows_quarantined) == (3, 1)
    assert [r[:2] for r in quarantine(con, "wfm_schedules")] == [
        (3, "schedule_segments_overlap")]


@kind("state_overlap", "wfm_agent_states", "quarantined", "state_segments_overlap")
def test_overlapping_states_are_quarantined_and_the_hole_is_noted(landing, tmp_path, con):
    # line 2: available 09:59:38-10:00:16; line 3 (on_contact 10:00:16-10:01:32) from 10:00:00
    path, n = mutated(landing, tmp_path, "wfm_agent_states",
                      lambda r: set_cell(r, 2, "start_at", "2026-01-06T10:00:00-05:00"))
    result = load(con, "wfm_agent_states", path)
    assert (result.rows_loaded, result.rows_quarantined) == (n - 1, 1)
    [(line, check, _, message, _)] = quarantine(con, "wfm_agent_states")
    assert (line, check) == (3, "state_segments_overlap")
    assert "overlaps the segment on line 2, which ends 2026-01-06 15:00:16 UTC" in message
    # without line 3, nothing covers 10:00:16-10:01:32 (76 s)
    assert result.notes == ("1 gap(s) in the state log, longest 1.3 minutes, counted as not "
                            "logged in")


@kind("state_log_gaps", "wfm_agent_states", "loaded", "gap(s) in the state log")
def test_gaps_in_the_state_log_load_with_a_ledger_note(tmp_path, con):
    text = (STATES +
            "A1,available,,2026-01-06T09:00:00-05:00,2026-01-06T09:10:00-05:00\n"
            "A1,on_contact,,2026-01-06T09:10:00-05:00,2026-01-06T09:20:00-05:00\n"
            "A1,available,,2026-01-06T09:30:00-05:00,2026-01-06T09:40:00-05:00\n"
            "A2,available,,2026-01-06T09:00:00-05:00,2026-01-06T10:00:00-05:00\n"
            "A2,break,,2026-01-06T10:45:00-05:00,2026-01-06T11:00:00-05:00\n")
    result = load(con, "wfm_agent_states", write_text(tmp_path, "wfm_agent_states", text))
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 5, 0)
    expected = "2 gap(s) in the state log, longest 45 minutes, counted as not logged in"
    assert result.notes == expected
    assert ledger(con, "wfm_agent_states")[0][5] == expected


def test_a_continuous_state_log_has_no_gap_note(landing, con):
    result = load(con, "wfm_agent_states", source_file(landing, "wfm_agent_states"))
    assert (result.rows_quarantined, result.notes) == (0, None)


def _surveys(values: list[tuple[str, str]]) -> str:
    return SURVEYS + "".join(
        f"SV{i:03d},IX{i:03d},2026-01-06T10:00:00-05:00,{csat},{nps},7,1-7,CES2.0\n"
        for i, (csat, nps) in enumerate(values, start=1))


@kind("survey_file_csat_ten_point", "surveys", "rejected", "outside the contract's scale 1..5")
def test_a_survey_file_on_a_ten_point_csat_scale_is_rejected_whole(landing, tmp_path, con):
    good = load(con, "surveys", source_file(landing, "surveys"))
    csat = ["10", "9", "8", "10", "7", "3", "2", "10", "9", "1"]
    path = write_text(tmp_path, "surveys", _surveys([(c, "9") for c in csat]))
    result = load(con, "surveys", path)
    assert result.status == "rejected"
    assert result.error == (
        "surveys_2026-01-06.csv: column csat: 7 of 10 values (70%) are outside the "
        "contract's scale 1..5 (they run from 1 to 10): the file is on another scale; "
        "rescale it before landing, Parity does not guess a conversion")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (10, 0, 10)
    # the day keeps what it had: a rejected file never half-replaces a load
    assert con.execute("select count(*) from raw.surveys").fetchone()[0] == good.rows_loaded


@kind("survey_file_nps_hundred_point", "surveys", "rejected", "outside the contract's scale")
def test_a_survey_file_with_nps_on_a_hundred_point_scale_is_rejected(tmp_path, con):
    nps = ["90", "100", "70", "0", "50", "85", "10", "60"]
    result = load(con, "surveys", write_text(tmp_path, "surveys",
                                             _surveys([("4", v) for v in nps])))
    assert result.status == "rejected"
    assert "column nps: 6 of 8 values (75%) are outside the contract's scale 0..10 (they " \
           "run from 0 to 100)" in result.error


def test_a_few_out_of_scale_values_are_rows_not_a_wrong_scale(tmp_path, con):
    csat = ["8", "9", "10", "6"] + ["4"] * 16  # 4 of 20: single bad rows
    result = load(con, "surveys", write_text(tmp_path, "surveys",
                                             _surveys([(c, "9") for c in csat])))
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 16, 4)
    assert {r[1] for r in quarantine(con, "surveys")} == {"less_than_or_equal_to(5)"}
