"""Bad-input corpus, times and numbers spelled the vendor's way: offsets, local times across
daylight-saving changes, HH:MM:SS durations and decimal commas, with and without a mapping."""

from __future__ import annotations

import datetime as dt


from parity.ingest.mapping import FieldMap, Mapping, default_mapping

from .ingest_helpers import kind, load, mutated, quarantine, set_cell, write_text

UTC = dt.timezone.utc
SCHEDULE_HEADER = "agent_id,activity,start_at,end_at\n"


def _with(source: str, timezone: str | None = None, **fields: FieldMap) -> Mapping:
    """The identity mapping of ``source`` with some fields read differently."""
    return Mapping(source=source, timezone=timezone,
                   fields={**default_mapping(source).fields, **fields})


def _utc(*parts) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


@kind("mixed_timezone_offsets", "crm_interactions", "loaded")
def test_mixed_offsets_in_one_file_are_normalized_to_utc(landing, tmp_path, con):
    def mutate(rows):
        for row, stamps in ((1, ("2026-01-06T09:00:00-05:00", "2026-01-06T14:00:05Z",
                                 "2026-01-06T19:35:00+05:30")),
                            (2, ("2026-01-06T14:10:00+00:00", "2026-01-06T15:10:30+0100",
                                 "2026-01-06 06:15:00-08:00"))):
            for column, stamp in zip(("offered_at", "answered_at", "ended_at"), stamps):
                set_cell(rows, row, column, stamp)
        return rows
    path, n = mutated(landing, tmp_path, "crm_interactions", mutate)
    result = load(con, "crm_interactions", path)
    assert (result.rows_loaded, result.rows_quarantined) == (n, 0)
    got = con.execute("select offered_at, answered_at, ended_at from raw.crm_interactions "
                      "where _line_number in (2, 3) order by _line_number").fetchall()
    assert [tuple(t.astimezone(UTC) for t in row) for row in got] == [
        (_utc(2026, 1, 6, 14, 0, 0), _utc(2026, 1, 6, 14, 0, 5), _utc(2026, 1, 6, 14, 5, 0)),
        (_utc(2026, 1, 6, 14, 10, 0), _utc(2026, 1, 6, 14, 10, 30),
         _utc(2026, 1, 6, 14, 15, 0))]


def _local_schedule(tmp_path, con, day: dt.date, rows: str):
    path = write_text(tmp_path, "wfm_schedules", SCHEDULE_HEADER + rows,
                      f"wfm_schedules_{day.isoformat()}.csv")
    result = load(con, "wfm_schedules", path, day, _with("wfm_schedules", "America/New_York"))
    starts = [r[0].astimezone(UTC) for r in con.execute(
        "select start_at from raw.wfm_schedules order by _line_number").fetchall()]
    return result, starts


@kind("dst_repeated_hour", "wfm_schedules", "quarantined", "dst_local_time")
def test_a_local_time_in_the_repeated_hour_is_quarantined(tmp_path, con):
    result, starts = _local_schedule(tmp_path, con, dt.date(2025, 11, 2),
                                     "A1,open,2025-11-02 00:00:00,2025-11-02 00:59:00\n"
                                     "A1,break,2025-11-02 01:30:00,2025-11-02 01:45:00\n"
                                     "A1,open,2025-11-02 03:00:00,2025-11-02 04:00:00\n")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    [(line, check, column, message, _)] = quarantine(con, "wfm_schedules")
    assert (line, check, column) == (3, "dst_local_time", "start_at")
    assert message == ("start_at: local time does not exist or is ambiguous in "
                       "America/New_York (daylight-saving change): 2025-11-02 01:30:00")
    assert starts == [_utc(2025, 11, 2, 4, 0), _utc(2025, 11, 2, 8, 0)]  # EDT, then EST


@kind("dst_missing_hour", "wfm_schedules", "quarantined", "dst_local_time")
def test_a_local_time_in_the_skipped_hour_is_quarantined(tmp_path, con):
    result, starts = _local_schedule(tmp_path, con, dt.date(2025, 3, 9),
                                     "A1,open,2025-03-09 01:00:00,2025-03-09 01:45:00\n"
                                     "A1,open,2025-03-09 03:30:00,2025-03-09 04:00:00\n"
                                     "A2,open,2025-03-09 01:50:00,2025-03-09 02:30:00\n")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    [(line, check, column, message, _)] = quarantine(con, "wfm_schedules")
    assert (line, check, column) == (4, "dst_local_time", "end_at")
    assert message.endswith("(daylight-saving change): 2025-03-09 02:30:00")
    assert starts == [_utc(2025, 3, 9, 6, 0), _utc(2025, 3, 9, 7, 30)]  # EST, then EDT


def _clock(rows):
    set_cell(rows, 1, "talk_seconds", "00:03:09")
    return set_cell(rows, 2, "talk_seconds", "1:02:03")


@kind("hms_durations_mapped", "crm_interactions", "loaded")
def test_hms_durations_load_with_the_hms_mapping(landing, tmp_path, con):
    seconds = {}

    def every_row_as_clock(rows):
        talk = rows[0].index("talk_seconds")
        for row in rows[1:]:
            seconds[row[0]] = s = int(row[talk])
            row[talk] = f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
        return _clock(rows)
    path, n = mutated(landing, tmp_path, "crm_interactions", every_row_as_clock)
    mapping = _with("crm_interactions", talk_seconds=FieldMap(source="talk_seconds",
                                                              unit="hms"))
    result = load(con, "crm_interactions", path, mapping=mapping)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (n, n, 0)
    got = dict(con.execute("select interaction_id, talk_seconds from raw.crm_interactions "
                           "order by _line_number").fetchall())
    first, second, *_ = got
    assert (got.pop(first), got.pop(second)) == (189, 3723)
    assert got == {k: v for k, v in seconds.items() if k in got}  # the round trip is exact


@kind("hms_durations_unmapped", "crm_interactions", "quarantined", "type_int")
def test_hms_durations_without_the_mapping_are_quarantined_with_a_hint(landing, tmp_path, con):
    path, n = mutated(landing, tmp_path, "crm_interactions", _clock)
    result = load(con, "crm_interactions", path)
    assert (result.rows_loaded, result.rows_quarantined) == (n - 2, 2)
    [(line, check, column, message, _), _] = quarantine(con, "crm_interactions")
    assert (line, check, column) == (2, "type_int", "talk_seconds")
    assert message == ("talk_seconds: not a number of seconds (a duration written HH:MM:SS: "
                       "declare `unit: hms` in the mapping): 00:03:09")


def _commas(rows):
    set_cell(rows, 1, "hold_seconds", "14,0")
    set_cell(rows, 2, "hold_seconds", "0")
    return set_cell(rows, 3, "hold_seconds", "12,5")


@kind("decimal_comma_mapped", "crm_interactions", "loaded")
def test_decimal_commas_load_whole_seconds_with_the_mapping(landing, tmp_path, con):
    path, n = mutated(landing, tmp_path, "crm_interactions", _commas)
    mapping = _with("crm_interactions", hold_seconds=FieldMap(source="hold_seconds",
                                                              decimal=","))
    result = load(con, "crm_interactions", path, mapping=mapping)
    assert (result.rows_loaded, result.rows_quarantined) == (n - 1, 1)  # 12,5: below
    assert con.execute("select hold_seconds from raw.crm_interactions where _line_number "
                       "in (2, 3) order by _line_number").fetchall() == [(14,), (0,)]


@kind("decimal_comma_fraction", "crm_interactions", "quarantined", "type_int")
def test_a_fractional_second_is_quarantined_not_rounded(landing, tmp_path, con):
    path, _ = mutated(landing, tmp_path, "crm_interactions", _commas)
    mapping = _with("crm_interactions", hold_seconds=FieldMap(source="hold_seconds",
                                                              decimal=","))
    load(con, "crm_interactions", path, mapping=mapping)
    [(line, check, column, message, _)] = quarantine(con, "crm_interactions")
    assert (line, check, column) == (4, "type_int", "hold_seconds")
    assert message == "hold_seconds: not a whole number of seconds: 12,5"


@kind("decimal_comma_unmapped", "crm_interactions", "quarantined", "type_int")
def test_decimal_commas_without_the_mapping_are_quarantined_with_a_hint(landing, tmp_path,
                                                                        con):
    path, n = mutated(landing, tmp_path, "crm_interactions", _commas)
    result = load(con, "crm_interactions", path)
    assert (result.rows_loaded, result.rows_quarantined) == (n - 2, 2)
    messages = [r[3] for r in quarantine(con, "crm_interactions")]
    assert messages == [
        'hold_seconds: not a number of seconds (a decimal comma: declare `decimal: ","` in '
        'the mapping): 14,0',
        'hold_seconds: not a number of seconds (a decimal comma: declare `decimal: ","` in '
        'the mapping): 12,5']
