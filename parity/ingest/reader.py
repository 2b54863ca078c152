"""Reading a landed file: a header check that can reject the file whole, then records in chunks.

CSV is parsed with the standard library's reader so every record keeps its physical line number
(quoted newlines included) and structural faults stay per record: a wrong field count or invalid
UTF-8 quarantines that record, not the file. Parquet row groups stream the same way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .mapping import Mapping

CHUNK_ROWS = 50_000
_OTHER_DELIMITERS = (",", ";", "\t", "|")
csv.field_size_limit(10_000_000)


class FileRejected(Exception):
    """The whole file cannot be loaded; the message names the problem."""


@dataclass
class Header:
    columns: list[str]
    extra: list[str]
    missing_optional: list[str]


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
    present = set(columns)
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        raise FileRejected(f"duplicate column name(s) in header: {', '.join(duplicated)}")
    missing = sorted(mapping.required_columns() - present)
    if missing:
        raise FileRejected(f"missing required column(s): {', '.join(missing)} "
                           f"(header has: {', '.join(columns)})")
    return Header(columns=columns,
                  extra=[c for c in columns if c not in mapping.source_columns],
                  missing_optional=sorted(mapping.source_columns - present))


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


def iter_chunks(path: Path, header: Header, delimiter: str,
                chunk_rows: int = CHUNK_ROWS) -> Iterator[Chunk]:
    if file_format(path) == "parquet":
        yield from _parquet_chunks(path, chunk_rows)
        return
    width = len(header.columns)
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        reader = csv.reader(text, delimiter=delimiter)
        next(reader)
        chunk, previous = Chunk(), reader.line_num
        for record in reader:
            line, previous = previous + 1, reader.line_num
            if not record or record == [""]:
                continue  # blank line: not a record
            if len(record) != width:
                chunk.bad.append((line, "field_count",
                                  f"expected {width} fields, found {len(record)}",
                                  _printable(delimiter.join(record))))
            else:
                chunk.lines.append(line)
                chunk.rows.append(record)
            if len(chunk.rows) + len(chunk.bad) >= chunk_rows:
                yield _split_invalid_utf8(chunk, header.columns, delimiter)
                chunk = Chunk()
        if chunk.rows or chunk.bad:
            yield _split_invalid_utf8(chunk, header.columns, delimiter)


def _split_invalid_utf8(chunk: Chunk, columns: list[str], delimiter: str) -> Chunk:
    """Records holding bytes that are not UTF-8 move to ``bad``; one test for a clean chunk."""
    if not _has_surrogates("".join("".join(r) for r in chunk.rows)):
        return chunk
    clean = Chunk(bad=chunk.bad)
    for line, record in zip(chunk.lines, chunk.rows):
        joined = delimiter.join(record)
        if _has_surrogates(joined):
            column = next(c for c, v in zip(columns, record) if _has_surrogates(v))
            clean.bad.append((line, "invalid_utf8",
                              f"column {column}: bytes that are not valid UTF-8",
                              _printable(joined)))
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


def _printable(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
