"""Loading one landed file into ``raw.<source>``: all or nothing, never twice, nothing lost.

Per file: fingerprint (sha256 + mapping) -> skip if that exact load is already active; header
check (a broken schema rejects the whole file, counted, not lost); records streamed in chunks
through the mapping, pandera and pseudonymization into a temporary stage; duplicates across
chunks and across files quarantined, as are WFM segments overlapping an earlier segment of the
same agent; a file where a fifth of a ranged score's values fall outside the contract's
scale is rejected whole (it is on another scale: its in-range values cannot be trusted either);
then one transaction replaces whatever the same source and business date had loaded before and
writes the ledger row.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import asdict, dataclass

import duckdb
import polars as pl
import pyarrow as pa

from checks.schemas import build_schema, failing_rows
from parity.contract import AGENTS, FIELDS, KEYS, WFM_AGENT_STATES, WFM_SCHEDULES

from .files import LandedFile, sha256_of
from .mapping import Mapping
from .pii import Pseudonymizer
from .reader import FileRejected, count_records, iter_chunks, read_header
from .tables import ensure_tables, ident, raw_columns, raw_table
from .transform import map_chunk


WRONG_SCALE_SHARE = 0.2
WRONG_SCALE_MIN_VALUES = 5
"""A file is on another scale when at least this share (and count) of a ranged field's values
fall outside the contract's range; fewer are single bad rows, quarantined on their own."""
OVERLAP_CHECKS = {WFM_SCHEDULES: "schedule_segments_overlap",
                  WFM_AGENT_STATES: "state_segments_overlap"}


@dataclass
class FileResult:
    source: str
    file_name: str
    business_date: str | None
    status: str  # loaded | rejected | unchanged
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    error: str | None = None
    notes: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


class _Quarantine:
    """Invalid rows of the file being loaded, with every reason each one failed."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []

    def add(self, line: int | None, failures: list[tuple[str | None, str, str]],
            raw_row: str | None) -> None:
        column, check, message = failures[0]
        detail = json.dumps([{"column": c, "check": k, "message": m} for c, k, m in failures])
        self.rows.append((line, check, column, message, detail, raw_row))


def load_file(con: duckdb.DuckDBPyConnection, landed: LandedFile, mapping: Mapping,
              run_id: str, pseudonymizer: Pseudonymizer,
              now: dt.datetime | None = None) -> FileResult:
    """Load one file; see the module docstring for the guarantees."""
    ensure_tables(con)
    source, path = landed.source, landed.path
    date = landed.business_date
    result = FileResult(source, path.name, date.isoformat() if date else None, "loaded")
    sha = sha256_of(path)
    fingerprint = mapping.fingerprint()
    seen = con.execute(
        "select status from ingest.ledger where source = ? and business_date is not distinct "
        "from ? and sha256 = ? and mapping_fingerprint = ? and pii_key_id = ? "
        "and (active or status = 'rejected') limit 1",
        [source, date, sha, fingerprint, pseudonymizer.key_id]).fetchone()
    if seen is not None:
        result.status = "unchanged"
        return result

    try:
        if date is None:
            raise FileRejected("no business date: put a date (YYYY-MM-DD) in the file name "
                               "or set file.business_date_from in the mapping")
        header = read_header(path, mapping)
    except FileRejected as exc:
        return _reject(con, result, exc, count_records(path), landed, sha, fingerprint,
                       pseudonymizer, run_id)

    notes = []
    if header.extra:
        notes.append(f"ignored extra column(s): {', '.join(header.extra)}")
    if header.missing_optional:
        notes.append(f"optional column(s) absent: {', '.join(header.missing_optional)}")
    if header.case_fixed:
        notes.append(f"header names matched ignoring case: {', '.join(header.case_fixed)}")
    table = raw_table(source)
    con.execute(f"create or replace temp table _stage as select * from {table} limit 0")
    quarantine = _Quarantine()
    schema = build_schema(source, now)
    pii_columns = _pii_source_columns(mapping)
    loaded_at = dt.datetime.now(dt.timezone.utc)
    scales = _ScaleTally(source)
    for chunk in iter_chunks(path, header, mapping.file.delimiter):
        result.rows_read += len(chunk.rows) + len(chunk.bad)
        for line, check, message, raw in chunk.bad:
            withheld = _withheld(raw, pseudonymizer) if pii_columns else raw
            quarantine.add(line, [(None, check, message)], withheld)
        if not chunk.rows:
            continue
        mapped = map_chunk(chunk.rows, header.columns, mapping)
        scales.add(mapped.frame)
        reasons: dict[int, list] = defaultdict(list)
        for pos, reason in mapped.dropped:
            reasons[pos].append((None, "dropped_by_mapping", reason))
        dropped = {pos for pos, _ in mapped.dropped}
        for pos, column, check, message in mapped.errors:
            if pos not in dropped:
                reasons[pos].append((column, check, f"{column}: {message}"))
        kept = [i for i in range(len(chunk.rows)) if i not in dropped]
        frame = mapped.frame[kept] if dropped else mapped.frame
        for i, column, check, message in failing_rows(schema, frame):
            reasons[kept[i]].append((column, check, message))
        for pos in sorted(reasons):
            quarantine.add(chunk.lines[pos], reasons[pos],
                           _raw_row(header.columns, chunk.rows[pos], pii_columns,
                                    pseudonymizer))
        good = [i for i in range(len(chunk.rows)) if i not in reasons]
        _stage(con, source, mapped.frame[good], [chunk.lines[p] for p in good], landed,
               run_id, loaded_at, pseudonymizer)
    wrong_scale = scales.verdict()
    if wrong_scale:
        con.execute("drop table if exists _stage")
        return _reject(con, result, FileRejected(wrong_scale), result.rows_read, landed, sha,
                       fingerprint, pseudonymizer, run_id)
    _duplicates_to_quarantine(con, source, date, quarantine)
    if source in OVERLAP_CHECKS:
        _overlaps_to_quarantine(con, OVERLAP_CHECKS[source], quarantine)
    if source == WFM_AGENT_STATES:
        notes += _state_gaps(con)
    result.notes = "; ".join(notes) or None

    result.rows_quarantined = len(quarantine.rows)
    result.rows_loaded = con.execute("select count(*) from _stage").fetchone()[0]
    con.execute("begin transaction")
    try:
        con.execute(f"delete from {table} where _business_date = ?", [date])
        con.execute("delete from ingest.quarantine where source = ? and business_date = ?",
                    [source, date])
        con.execute("update ingest.ledger set active = false, status = 'superseded' "
                    "where source = ? and business_date = ? and active", [source, date])
        con.execute(f"insert into {table} select * from _stage")
        if quarantine.rows:
            _insert_quarantine(con, quarantine, source, path.name, date, run_id, loaded_at)
        _ledger(con, result, landed, sha, fingerprint, pseudonymizer, run_id, active=True)
        con.execute("commit")
    except BaseException:
        try:
            con.execute("rollback")
        except duckdb.TransactionException:
            pass  # a commit that failed (e.g. a full disk) has rolled back already
        raise
    finally:
        con.execute("drop table if exists _stage")
    return result


def _reject(con, result: FileResult, problem: FileRejected, rows_read: int,
            landed: LandedFile, sha: str, fingerprint: str, pseudonymizer: Pseudonymizer,
            run_id: str) -> FileResult:
    """The whole file is refused: every record counted as quarantined, the day left as it was."""
    result.status, result.error = "rejected", f"{landed.path.name}: {problem}"
    result.rows_read = result.rows_quarantined = rows_read
    result.rows_loaded = 0
    _ledger(con, result, landed, sha, fingerprint, pseudonymizer, run_id, active=False)
    return result


class _ScaleTally:
    """Per ranged field (CSAT, NPS, CES): values seen, values outside the range, extremes."""

    def __init__(self, source: str) -> None:
        self.ranges = {f.name: (f.minimum, f.maximum) for f in FIELDS[source]
                       if f.minimum is not None and f.maximum is not None}
        self.seen = dict.fromkeys(self.ranges, 0)
        self.outside = dict.fromkeys(self.ranges, 0)
        self.low: dict[str, int] = {}
        self.high: dict[str, int] = {}

    def add(self, frame: pl.DataFrame) -> None:
        if not self.ranges:
            return
        row = frame.select(
            [pl.col(n).count().alias(f"{n}__seen") for n in self.ranges]
            + [pl.col(n).is_between(lo, hi).not_().sum().alias(f"{n}__outside")
               for n, (lo, hi) in self.ranges.items()]
            + [pl.col(n).min().alias(f"{n}__low") for n in self.ranges]
            + [pl.col(n).max().alias(f"{n}__high") for n in self.ranges]).row(0, named=True)
        for n in self.ranges:
            self.seen[n] += row[f"{n}__seen"]
            self.outside[n] += row[f"{n}__outside"] or 0
            for store, value, pick in ((self.low, row[f"{n}__low"], min),
                                       (self.high, row[f"{n}__high"], max)):
                if value is not None:
                    store[n] = pick(store.get(n, value), value)

    def verdict(self) -> str | None:
        """Why the file is on the wrong scale, or None."""
        for n, (lo, hi) in self.ranges.items():
            out, seen = self.outside[n], self.seen[n]
            if out >= WRONG_SCALE_MIN_VALUES and out >= WRONG_SCALE_SHARE * seen:
                return (f"column {n}: {out} of {seen} values ({100 * out // seen}%) are "
                        f"outside the contract's scale {lo}..{hi} (they run from "
                        f"{self.low[n]} to {self.high[n]}): the file is on another scale; "
                        "rescale it before landing, Parity does not guess a conversion")
        return None


def _stage(con, source: str, good: pl.DataFrame, lines: list[int], landed: LandedFile,
           run_id: str, loaded_at: dt.datetime, pseudonymizer: Pseudonymizer) -> None:
    """Append valid rows to the stage; PII is hashed inside DuckDB on the way in."""
    if good.height == 0:
        return
    good = good.with_columns(
        pl.lit(landed.path.name).alias("_source_file"),
        pl.Series("_line_number", lines, dtype=pl.Int64),
        pl.lit(landed.business_date).alias("_business_date"),
        pl.lit(run_id).alias("_run_id"),
        pl.lit(loaded_at).alias("_loaded_at"))
    pii = {f.name for f in FIELDS[source] if f.pii}
    names = [n for n, _ in raw_columns(source)]
    values = ", ".join(pseudonymizer.sql(n, ident(n)) if n in pii else ident(n)
                       for n in names)
    con.register("_chunk", good.to_arrow())
    try:
        con.execute(f"insert into _stage ({', '.join(ident(n) for n in names)}) "
                    f"select {values} from _chunk",
                    pseudonymizer.sql_parameters(pii) if pii else None)
    finally:
        con.unregister("_chunk")


def _duplicates_to_quarantine(con, source: str, date, quarantine: _Quarantine) -> None:
    """Keys repeated across chunks of this file, or already loaded from another date's file."""
    keys = [ident(k) for k in KEYS[source]]
    on = " and ".join(f"s.{k} is not distinct from r.{k}" for k in keys)
    partition = ", ".join(keys)
    found = con.execute(f"""
        select _line_number, 'duplicate_key_in_file', null::varchar
        from (select _line_number, row_number() over (partition by {partition}
                                                      order by _line_number) as n from _stage)
        where n > 1
    """).fetchall()
    if source != AGENTS:  # each roster snapshot lists every agent again, by design
        found += con.execute(f"""
            select s._line_number, 'duplicate_key_across_files',
                   any_value(r._source_file || ' (business date ' || r._business_date || ')')
            from _stage s join {raw_table(source)} r on {on}
            where r._business_date <> ?
            group by s._line_number
        """, [date]).fetchall()
    if not found:
        return
    key_text = ", ".join(KEYS[source])
    for line, check, other in sorted(found, key=lambda r: r[0]):
        message = (f"{key_text} repeats an earlier row of this file" if other is None
                   else f"{key_text} already loaded from {other}")
        quarantine.add(line, [(key_text, check, message)], None)
    con.register("_drop_lines", pa.table({"line": pa.array([r[0] for r in found], pa.int64())}))
    try:
        con.execute("delete from _stage where _line_number in (select line from _drop_lines)")
    finally:
        con.unregister("_drop_lines")


def _overlaps_to_quarantine(con, check: str, quarantine: _Quarantine) -> None:
    """A segment starting before an earlier segment of the same agent has ended.

    The earlier one (by start, then line) stays; the later one is quarantined naming the line
    of the segment it runs into. Both would otherwise count the same minutes twice.
    """
    found = con.execute("""
        select _line_number, agent_id, start_at, other_line, other_end
        from (select _line_number, agent_id, start_at,
                     max(end_at) over earlier as other_end,
                     arg_max(_line_number, end_at) over earlier as other_line
              from _stage
              window earlier as (partition by agent_id order by start_at, _line_number
                                 rows between unbounded preceding and 1 preceding))
        where start_at < other_end
        order by _line_number
    """).fetchall()
    if not found:
        return
    for line, agent, start, other, other_end in found:
        quarantine.add(line, [("start_at", check, (
            f"segment of agent {agent} starting {_utc(start)} overlaps the segment on line "
            f"{other}, which ends {_utc(other_end)}"))], None)
    con.register("_drop_lines", pa.table({"line": pa.array([r[0] for r in found], pa.int64())}))
    try:
        con.execute("delete from _stage where _line_number in (select line from _drop_lines)")
    finally:
        con.unregister("_drop_lines")


def _utc(instant: dt.datetime) -> str:
    return f"{instant.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M:%S} UTC"


def _state_gaps(con) -> list[str]:
    """A ledger note on time between an agent's states: not an error (nobody logs a state
    while logged out), but the minutes are counted as not logged in, so they are reported."""
    gaps, longest = con.execute("""
        select count(*), max(gap)
        from (select date_diff('second', lag(end_at) over (partition by agent_id
                                                           order by start_at, _line_number),
                               start_at) as gap
              from _stage)
        where gap > 0
    """).fetchone()
    if not gaps:
        return []
    minutes = round(longest / 60, 1)
    return [f"{gaps} gap(s) in the state log, longest {minutes:g} minutes, counted as not "
            "logged in"]


def _insert_quarantine(con, quarantine: _Quarantine, source: str, file_name: str, date,
                       run_id: str, loaded_at: dt.datetime) -> None:
    """One bulk insert through Arrow: executemany costs a round trip per row."""
    lines, checks, columns, messages, details, raws = zip(*quarantine.rows)
    n = len(lines)
    table = pa.table({
        "source": [source] * n, "file_name": [file_name] * n, "business_date": [date] * n,
        "line_number": pa.array(lines, pa.int64()), "check_name": list(checks),
        "column_name": pa.array(columns, pa.string()), "message": list(messages),
        "failures": list(details), "raw_row": pa.array(raws, pa.string()),
        "run_id": [run_id] * n, "quarantined_at": [loaded_at] * n,
    })
    con.register("_quarantine_rows", table)
    try:
        con.execute("insert into ingest.quarantine select * from _quarantine_rows")
    finally:
        con.unregister("_quarantine_rows")


def _pii_source_columns(mapping: Mapping) -> dict[str, str]:
    """Source column -> the PII field it feeds (its normalization kind)."""
    pii = {f.name for f in FIELDS[mapping.source] if f.pii}
    return {c: name for name, spec in mapping.fields.items() if name in pii
            for c in spec.columns}


def _raw_row(columns: list[str], record: list[str], pii_columns: dict[str, str],
             pseudonymizer: Pseudonymizer) -> str:
    """The source row as JSON, PII fields already pseudonymized: clear PII is never stored."""
    row = {}
    for c, v in zip(columns, record):
        row[c] = pseudonymizer.token(pii_columns[c], v) if c in pii_columns and v.strip() \
            else v
    return json.dumps(row, ensure_ascii=False)


def _withheld(raw: str, pseudonymizer: Pseudonymizer) -> str:
    """A record that could not be split may hold PII anywhere: keep only its fingerprint."""
    return json.dumps({"withheld": "record could not be split into fields; it may hold PII",
                       "length": len(raw), "fingerprint": pseudonymizer.token("raw", raw)})


def _ledger(con, result: FileResult, landed: LandedFile, sha: str, fingerprint: str,
            pseudonymizer: Pseudonymizer, run_id: str, active: bool) -> None:
    con.execute(
        "insert into ingest.ledger values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [result.source, result.file_name, str(landed.path), landed.business_date, sha,
         landed.path.stat().st_size, fingerprint, pseudonymizer.key_id, result.rows_read,
         result.rows_loaded, result.rows_quarantined, result.status, active, result.error,
         result.notes, run_id, dt.datetime.now(dt.timezone.utc)])
