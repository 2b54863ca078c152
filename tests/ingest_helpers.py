"""Helpers for ingestion tests: copy a valid generated file, break it one way, load it.

``CORPUS`` registers every kind of the bad-input corpus (``kind`` on a test, ``register`` for a
table of cases); tests/test_bad_input_docs.py holds it equal to the table in docs/bad-input.md.
"""

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
OUTCOMES = ("loaded", "quarantined", "rejected")
CORPUS: dict[str, tuple[str, str, str]] = {}
"""kind id -> (source, outcome, what the docs must name: the check, or a message fragment)."""
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


def register(kind_id: str, source: str, outcome: str, detail: str = "") -> str:
    """Add one kind to the corpus; an id used twice is a mistake, not a second kind."""
    assert outcome in OUTCOMES, outcome
    assert kind_id not in CORPUS, f"kind {kind_id!r} registered twice"
    CORPUS[kind_id] = (source, outcome, detail)
    return kind_id


def kind(kind_id: str, source: str, outcome: str, detail: str = ""):
    """Decorator: the test proves what Parity does with this kind of bad input."""
    register(kind_id, source, outcome, detail)
    return lambda test: test


def set_cell(rows: list[list[str]], row: int, column: str, value: str) -> list[list[str]]:
    rows[row][column_index(rows, column)] = value
    return rows


def mutated(landing: Path, tmp_path: Path, source: str, mutate) -> tuple[Path, int]:
    """A copy of the day's generated file of ``source`` changed by ``mutate``; its data rows."""
    rows = read_rows(source_file(landing, source))
    path = tmp_path / source / source_file(landing, source).name
    return write_rows(path, mutate(rows)), len(rows) - 1


def write_text(tmp_path: Path, source: str, text: str | bytes, name: str | None = None) -> Path:
    """A hand-written extract of ``source`` for the test day (exact bytes, no newline changes)."""
    path = tmp_path / source / (name or f"{source}_{DAY.isoformat()}.csv")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def ledger(con: duckdb.DuckDBPyConnection, source: str) -> list[tuple]:
    return con.execute("select status, rows_read, rows_loaded, rows_quarantined, error, notes "
                       "from ingest.ledger where source = ? order by loaded_at",
                       [source]).fetchall()
