"""Helpers for ingestion tests: copy a valid generated file, break it one way, load it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import duckdb

from checks.raw import reconciliation_failures
from parity.ingest.files import LandedFile
from parity.ingest.loader import FileResult, load_file
from parity.ingest.mapping import Mapping, default_mapping
from parity.ingest.pii import Pseudonymizer

TEST_KEY = b"test-key-for-parity-tests"
DAY = dt.date(2026, 1, 6)  # a Tuesday of the session's generated window


def source_file(landing: Path, source: str, day: dt.date = DAY) -> Path:
    return landing / source / f"{source}_{day.isoformat()}.csv"


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def copy_into(landing: Path, target_dir: Path, source: str, day: dt.date = DAY) -> Path:
    src = source_file(landing, source, day)
    dst = target_dir / source / src.name
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, dst)
    return dst


def load(con: duckdb.DuckDBPyConnection, source: str, path: Path, day: dt.date = DAY,
         mapping: Mapping | None = None, run_id: str = "test-run") -> FileResult:
    result = load_file(con, LandedFile(source, path, day), mapping or default_mapping(source),
                       run_id, Pseudonymizer(TEST_KEY))
    assert reconciliation_failures(con, source) == []
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    return result


def quarantine(con: duckdb.DuckDBPyConnection, source: str) -> list[tuple]:
    return con.execute("select line_number, check_name, column_name, message, failures "
                       "from ingest.quarantine where source = ? order by line_number",
                       [source]).fetchall()


def column_index(rows: list[list[str]], name: str) -> int:
    return rows[0].index(name)
