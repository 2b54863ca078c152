"""Reading a landed file: a header check that can reject the file whole, then records in chunks.

CSV is parsed with the standard library's reader so every record keeps its physical line number
(quoted newlines included) and structural faults stay per record: a wrong field count, invalid
UTF-8, a NUL byte, a field over ``MAX_FIELD_CHARS`` or a quote that is never closed quarantines
that record, not the file. Parquet row groups stream the same way.
"""

from __future__ import annotations

import csv
import io
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .mapping import Mapping

CHUNK_ROWS = 50_000
MAX_FIELD_CHARS = 1_000_000
"""A longer field is a broken export (a runaway quote, a binary blob), not a value."""
_KEPT_RAW_CHARS = 2_000
_OTHER_DELIMITERS = (",", ";", "\t", "|")


class FileRejected(Exception):
    """The whole file cannot be loaded; the message names the problem."""


@dataclass
class Header:
    columns: list[str]
    extra: list[str]
    missing_optional: list[str]
    case_fixed: list[str] = field(default_factory=list)
    """``Vendor_Name -> contract_name`` of header names matched ignoring case."""


@dataclass
class Chunk:
    lines: list[int] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    bad: list[tuple[int, str, str, str]] = field(default_factory=list)
    """(line, check, message, raw text) of records that could not even be split into fields."""


def file_format(path: Path) -> str:
    return "parquet" if path.suffix.lower() == ".parquet" else "csv"


def read_header(path: Path, mapping: Mapping) -> Header:
    """The header's column names, or ``FileRejected`` naming why the file cannot be read."""
    size = path.stat().st_size
    if size == 0:
        raise FileRejected("empty file (0 bytes)")
    with path.open("rb") as handle:
        start = handle.read(4)
    if start[:2] == b"\x1f\x8b":
        raise FileRejected("gzip-compressed data, not text: decompress it before landing")
    if file_format(path) == "parquet":
        try:
            columns = pq.ParquetFile(path).schema_arrow.names
        except (pa.ArrowException, OSError) as exc:
            raise FileRejected(f"unreadable Parquet file: {exc}") from exc
    else:
        if start == b"PAR1":
            raise FileRejected("Parquet data in a file named like CSV")
        columns = _csv_header(path, mapping.file.delimiter)
    expected = {c.casefold() for c in mapping.source_columns}
    if not any(c.casefold() in expected for c in columns):
        # Most likely the header is missing and this is the first data row: its cells may be
        # PII and this message is stored and logged, so it names the expected columns only.
        raise FileRejected("no header row: the first line names none of the expected columns "
                           f"({', '.join(sorted(mapping.required_columns()))}); it is not "
                           "shown, as it may be a data row")
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        raise FileRejected(f"duplicate column name(s) in header: {', '.join(duplicated)}")
    columns, case_fixed = _match_case(columns, mapping.source_columns)
    present = set(columns)
    missing = sorted(mapping.required_columns() - present)
    extra = [c for c in columns if c not in mapping.source_columns]
    if missing:
        unexpected = f"; unexpected column(s): {', '.join(extra)}" if extra else ""
        raise FileRejected(f"missing required column(s): {', '.join(missing)}{unexpected} "
                           f"(header has: {', '.join(columns)})")
    return Header(columns=columns, extra=extra,
                  missing_optional=sorted(mapping.source_columns - present),
                  case_fixed=case_fixed)


def _match_case(columns: list[str], expected: set[str]) -> tuple[list[str], list[str]]:
    """Header names that differ from an expected column only by case take its spelling.

    Spreadsheet tools re-case headers (``Agent_ID``); that is a spelling, not a new column. A
    name that would collide with another column of the header is left as it is.
    """
    by_fold: dict[str, list[str]] = {}
    for name in expected:
        by_fold.setdefault(name.casefold(), []).append(name)
    present, out, fixed = set(columns), [], []
    for column in columns:
        matches = by_fold.get(column.casefold(), [])
        if column not in expected and len(matches) == 1 and matches[0] not in present:
            out.append(matches[0])
            present.add(matches[0])
            fixed.append(f"{column} -> {matches[0]}")
        else:
            out.append(column)
    return out, fixed


def _csv_header(path: Path, delimiter: str) -> list[str]:
    with path.open("rb") as handle:
        raw = handle.readline()
    try:
        line = raw.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise FileRejected(f"header is not UTF-8 text (byte {exc.start})") from exc
    if not line.strip():
        raise FileRejected("no header row: the first line is blank")
    columns = [c.strip() for c in next(csv.reader([line], delimiter=delimiter))]
    if len(columns) == 1:
        found = [d for d in _OTHER_DELIMITERS if d != delimiter and d in line]
        if found:
            raise FileRejected(f"wrong delimiter: expected {delimiter!r} but the header is "
                               f"separated by {found[0]!r}")
    return columns


def count_records(path: Path) -> int:
    """Data lines in a file we could not parse (for a rejected file's ledger row)."""
    if file_format(path) == "parquet":
        try:
            return pq.ParquetFile(path).metadata.num_rows
        except (pa.ArrowException, OSError):
            return 0
    lines, last = 0, b""
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
            last = block
    if last and not last.endswith(b"\n"):
        lines += 1
    return max(lines - 1, 0)


class _Lines:
    """The file's physical lines fed to the CSV reader, kept until the record they form is taken.

    Knowing a record's own lines gives exact line numbers and lets a record swallowed by an
    unclosed quote be undone: its first line is quarantined and the others are read again.
    """

    def __init__(self, text: io.TextIOBase) -> None:
        self._text = text
        self.pending: deque[str] = deque()
        self.taken: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.pending.popleft() if self.pending else next(self._text)
        self.taken.append(line)
        return line


def iter_chunks(path: Path, header: Header, delimiter: str,
                chunk_rows: int = CHUNK_ROWS) -> Iterator[Chunk]:
    if file_format(path) == "parquet":
        yield from _parquet_chunks(path, chunk_rows)
        return
    csv.field_size_limit(MAX_FIELD_CHARS)
    width = len(header.columns)
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        text.readline()  # the header, already read by read_header
        lines = _Lines(text)
        reader = csv.reader(lines, delimiter=delimiter)
        chunk, line = Chunk(), 2
        while True:
            lines.taken.clear()
            try:
                record, error = next(reader), None
            except StopIteration:
                break
            except csv.Error as exc:
                record, error = [], exc
            span = len(lines.taken)
            if span > 1 and sum(t.count('"') for t in lines.taken) % 2:
                # an odd number of quotes over several lines: a quote that never closes ran
                # on (maybe up to the field limit); keep the lines it swallowed
                chunk.bad.append((line, "unbalanced_quote",
                                  f"a quote opened on this line is never closed (it ran over "
                                  f"{span - 1} more line(s), which are read again on their own)",
                                  _kept(lines.taken[0].rstrip("\r\n"))))
                lines.pending.extendleft(reversed(lines.taken[1:]))
                line += 1
                continue
            if error is not None:
                too_long = "field limit" in str(error)
                chunk.bad.append((line, "field_too_long" if too_long else "unreadable_record",
                                  f"a field is longer than {MAX_FIELD_CHARS:,} characters"
                                  if too_long else f"cannot be parsed as CSV: {error}",
                                  _kept("".join(lines.taken))))
                line += span
                continue
            first, line = line, line + span
            if len(record) <= 1 and not "".join(record).strip():
                continue  # a blank or whitespace-only line: not a record
            if len(record) != width:
                chunk.bad.append((first, "field_count",
                                  f"expected {width} fields, found {len(record)}",
                                  _kept(delimiter.join(record))))
            else:
                chunk.lines.append(first)
                chunk.rows.append(record)
            if len(chunk.rows) + len(chunk.bad) >= chunk_rows:
                yield _split_unreadable(chunk, header.columns, delimiter)
                chunk = Chunk()
        if chunk.rows or chunk.bad:
            yield _split_unreadable(chunk, header.columns, delimiter)


def _split_unreadable(chunk: Chunk, columns: list[str], delimiter: str) -> Chunk:
    """Records holding bytes that are not UTF-8, or NUL bytes, move to ``bad``.

    One test over the whole chunk keeps a clean chunk cheap.
    """
    text = "".join("".join(r) for r in chunk.rows)
    if "\x00" not in text and not _has_surrogates(text):
        return chunk
    clean = Chunk(bad=chunk.bad)
    for line, record in zip(chunk.lines, chunk.rows):
        joined = delimiter.join(record)
        if _has_surrogates(joined):
            column = next(c for c, v in zip(columns, record) if _has_surrogates(v))
            clean.bad.append((line, "invalid_utf8",
                              f"column {column}: bytes that are not valid UTF-8",
                              _kept(joined)))
        elif "\x00" in joined:
            column = next(c for c, v in zip(columns, record) if "\x00" in v)
            clean.bad.append((line, "nul_byte", f"column {column}: a NUL byte (0x00), "
                              "binary data in a text field", _kept(joined.replace("\x00", ""))))
        else:
            clean.lines.append(line)
            clean.rows.append(record)
    return clean


def _parquet_chunks(path: Path, chunk_rows: int) -> Iterator[Chunk]:
    line = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_rows):
        columns = [col.cast(pa.string()).to_pylist() for col in batch.columns]
        rows = [["" if v is None else v for v in values] for values in zip(*columns)]
        yield Chunk(lines=list(range(line + 1, line + 1 + len(rows))), rows=rows)
        line += len(rows)


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _kept(text: str) -> str:
    """The raw text kept in quarantine: printable, and cut short when it is huge."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if len(text) > _KEPT_RAW_CHARS:
        return f"{text[:_KEPT_RAW_CHARS]}... ({len(text):,} characters in all)"
    return text
