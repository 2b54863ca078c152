"""Mappings: the identity default, a real vendor layout, units, timezones and config errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from parity.ingest.files import date_from_content, landed_files
from parity.ingest.mapping import (MappingError, default_mapping, load_mapping,
                                   parse_mapping)

from .ingest_helpers import load, quarantine

REPO = Path(__file__).resolve().parents[1]
BANK = REPO / "mappings" / "anonymous_bank"
HEADER = ("vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\t"
          "vru_time\tq_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver")
# Rows of our own in the Anonymous Bank layout (not from the real file).
BANK_ROWS = [
    "AA0101\t1001\t0\t0\tPS\t990203\t7:02:47\t7:02:56\t9\t0:00:00\t0:00:00\t0\tAGENT\t"
    "7:02:55\t7:05:41\t166\tMICHAL",
    "AA0101\t1002\t0\t0\tPS\t990203\t7:31:45\t7:31:55\t10\t0:00:00\t0:00:00\t0\tAGENT\t"
    "7:31:54\t7:31:59\t5\tNO_SERVER",
    "AA0101\t1003\t33317894\t2\tNE\t990203\t8:09:16\t8:09:22\t6\t8:09:22\t8:09:27\t5\tHANG\t"
    "0:00:00\t0:00:00\t0\tNO_SERVER",
    "AA0102\t1004\t33317894\t2\tNE\t990203\t8:15:00\t8:15:09\t9\t8:15:09\t8:16:10\t61\tAGENT\t"
    "8:16:10\t8:21:40\t330\tAVI",
    "AA0102\t1005\t0\t0\tPS\t990203\t9:00:00\t9:00:05\t5\t0:00:00\t0:00:00\t0\tPHANTOM\t"
    "0:00:00\t0:00:00\t0\tNO_SERVER",
    "AA0103\t1006\t0\t1\tXX\t990203\t23:58:00\t23:58:10\t10\t23:58:10\t23:58:20\t10\tAGENT\t"
    "23:58:20\t0:03:20\t300\tDORIT",
]


def _bank_file(tmp_path) -> Path:
    path = tmp_path / "crm_interactions" / "calls_feb.txt"
    path.parent.mkdir(parents=True)
    path.write_bytes(("\r\n".join([HEADER, *BANK_ROWS]) + "\r\n").encode())
    return path


def test_identity_mapping_covers_the_contract():
    mapping = default_mapping("surveys")
    assert set(mapping.fields) == {"survey_id", "interaction_id", "responded_at", "csat",
                                   "nps", "ces", "ces_scale", "ces_version",
                                   "customer_resolved", "comment"}
    assert all(spec.columns == [name] for name, spec in mapping.fields.items())
    assert load_mapping("surveys", None) == mapping
    assert load_mapping("surveys", BANK) == mapping  # no surveys.yaml there


def test_anonymous_bank_layout_loads_through_the_shipped_mapping(tmp_path, con):
    mapping = load_mapping("crm_interactions", BANK)
    path = _bank_file(tmp_path)
    [landed] = landed_files(tmp_path, "crm_interactions", mapping)
    assert landed.business_date == dt.date(1999, 2, 3)
    result = load(con, "crm_interactions", path, landed.business_date, mapping)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (6, 4, 2)
    reasons = {line: check for line, check, *_ in quarantine(con, "crm_interactions")}
    assert reasons == {3: "handled_has_agent_and_answer", 6: "dropped_by_mapping"}
    rows = con.execute("""
        select interaction_id, customer_id is null, contact_reason, priority, agent_id,
               abandoned, talk_seconds, queue_seconds,
               strftime(offered_at at time zone 'Asia/Jerusalem', '%Y-%m-%d %H:%M:%S'),
               date_diff('second', answered_at, ended_at), answered_at is null
        from raw.crm_interactions order by interaction_id""").fetchall()
    assert rows[0] == ("AA0101 1001", True, "regular_service", "normal", "MICHAL", False, 166, 0,
                       "1999-02-03 07:02:55", 166, False)  # answered at once
    assert rows[1][:7] == ("AA0101 1003", False, "stock_exchange", "high", None, True, 0)
    assert rows[1][10] is True  # abandoned: no answer time
    assert rows[3][2] == "XX" and rows[3][9] == 300  # unknown code kept; crosses midnight


def test_unknown_reason_code_is_kept_and_visible(tmp_path, con):
    mapping = load_mapping("crm_interactions", BANK)
    load(con, "crm_interactions", _bank_file(tmp_path), dt.date(1999, 2, 3), mapping)
    codes = {r[0] for r in con.execute(
        "select distinct contact_reason from raw.crm_interactions").fetchall()}
    assert "XX" in codes  # contact reasons are open codes; dbt maps them to the catalogue


def test_local_times_use_the_mapping_timezone_and_dst_gaps_are_caught(tmp_path, con):
    text = """
fields:
  agent_id: {from: agent}
  activity: {from: what, map: {WORK: open, BRK: break}}
  start_at: {from: begin}
  end_at: {from: finish}
timezone: America/New_York
"""
    mapping = parse_mapping(text, "wfm_schedules")
    path = tmp_path / "wfm_schedules" / "sched_2026-03-08.csv"
    path.parent.mkdir(parents=True)
    path.write_text("agent,what,begin,finish\n"
                    "A1,WORK,2026-03-08 01:00:00,2026-03-08 01:45:00\n"
                    "A1,BRK,2026-03-08 02:30:00,2026-03-08 03:30:00\n"
                    "A2,WORK,2026-03-07 09:00:00,2026-03-07T17:00:00-05:00\n")
    result = load(con, "wfm_schedules", path, dt.date(2026, 3, 8), mapping)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    assert quarantine(con, "wfm_schedules")[0][1] == "dst_local_time"
    first = con.execute("select min(start_at) from raw.wfm_schedules").fetchone()[0]
    assert first.astimezone(dt.timezone.utc) == dt.datetime(2026, 3, 7, 14, 0,
                                                              tzinfo=dt.timezone.utc)


def test_duration_units_and_decimal_commas(tmp_path, con):
    text = """
fields:
  interaction_id: {from: id}
  channel: {constant: voice}
  direction: {constant: inbound}
  queue: {constant: q1}
  contact_reason: {constant: billing}
  priority: {constant: normal}
  agent_id: {from: agent}
  offered_at: {from: start}
  answered_at: {from: start}
  ended_at: {derive: "answered_at + talk_seconds"}
  talk_seconds: {from: talk, unit: hms}
  hold_seconds: {from: hold, unit: minutes, decimal: ","}
  acw_seconds: {from: acw, unit: milliseconds}
  abandoned: {from: ab, map: {Y: "true", N: "false"}}
  transferred: {constant: false}
"""
    mapping = parse_mapping(text, "crm_interactions")
    path = tmp_path / "crm_interactions" / "x_2026-01-06.csv"
    path.parent.mkdir(parents=True)
    path.write_text("id,agent,start,talk,hold,acw,ab\n"
                    "1,A1,2026-01-06T09:00:00Z,00:05:30,\"1,5\",2500,N\n"
                    "2,A1,2026-01-06T10:00:00Z,5 min,0,0,N\n")
    result = load(con, "crm_interactions", path, dt.date(2026, 1, 6), mapping)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    row = con.execute("select talk_seconds, hold_seconds, acw_seconds, "
                      "date_diff('second', answered_at, ended_at) "
                      "from raw.crm_interactions").fetchone()
    assert row == (330, 90, 2, 330)
    assert "HH:MM:SS" in quarantine(con, "crm_interactions")[0][3]


@pytest.mark.parametrize("text,problem", [
    ("fields: [1, 2", "not valid YAML"),
    ("- a\n- b", "expected a mapping"),
    ("fields: {nonsense: {from: x}}", "not in the surveys contract"),
    ("fields: {survey_id: {from: id}}", "required contract fields not mapped"),
    ("timezone: Mars/Olympus\nfields: {}", "unknown timezone"),
    ("source: agents\nfields: {}", "declares source"),
])
def test_bad_mappings_fail_with_the_file_and_key(text, problem):
    with pytest.raises(MappingError) as info:
        parse_mapping(text, "surveys", "mappings/surveys.yaml")
    assert problem in str(info.value) and "mappings/surveys.yaml" in str(info.value)


def test_business_date_from_content_when_the_name_has_none(tmp_path):
    mapping = load_mapping("crm_interactions", BANK)
    assert date_from_content(_bank_file(tmp_path), mapping) == dt.date(1999, 2, 3)
