"""Warehouse tables written by ingestion: ``raw.<source>``, ``ingest.ledger``, ``ingest.quarantine``.

DDL is generated from the contract; identifiers come from the contract's own names, which are
checked against a strict pattern before they are ever placed in SQL.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

from parity.contract import FIELDS, SOURCES

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
_SQL_TYPES = {"string": "varchar", "int": "bigint", "bool": "boolean",
              "timestamp": "timestamptz", "date": "date"}
LINEAGE = (("_source_file", "varchar"), ("_line_number", "bigint"), ("_business_date", "date"),
           ("_run_id", "varchar"), ("_loaded_at", "timestamptz"))

LEDGER_DDL = """
create table if not exists ingest.ledger (
    source varchar not null,
    file_name varchar not null,
    file_path varchar not null,
    business_date date,
    sha256 varchar not null,
    size_bytes bigint not null,
    mapping_fingerprint varchar not null,
    pii_key_id varchar,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
    status varchar not null,
    active boolean not null,
    error varchar,
    notes varchar,
    run_id varchar not null,
    loaded_at timestamptz not null
)
"""
QUARANTINE_DDL = """
create table if not exists ingest.quarantine (
    source varchar not null,
    file_name varchar not null,
    business_date date,
    line_number bigint,
    check_name varchar not null,
    column_name varchar,
    message varchar not null,
    failures varchar not null,
    raw_row varchar,
    run_id varchar not null,
    quarantined_at timestamptz not null
)
"""


def ident(name: str) -> str:
    """A safe, quoted SQL identifier; anything unexpected is refused, not escaped."""
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"refusing unexpected identifier {name!r}")
    return f'"{name}"'


def raw_table(source: str) -> str:
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    return f"raw.{ident(source)}"


def raw_columns(source: str) -> list[tuple[str, str]]:
    return [(f.name, _SQL_TYPES[f.type]) for f in FIELDS[source]] + list(LINEAGE)


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists raw")
    con.execute("create schema if not exists ingest")
    for source in SOURCES:
        cols = ", ".join(f"{ident(n)} {t}" for n, t in raw_columns(source))
        con.execute(f"create table if not exists {raw_table(source)} ({cols})")
    con.execute(LEDGER_DDL)
    con.execute(QUARANTINE_DDL)


class WarehouseWriteError(RuntimeError):
    """The warehouse file cannot be written: the message names the path and the cause."""

    @classmethod
    def of(cls, path: str | Path, cause: BaseException) -> WarehouseWriteError:
        if isinstance(cause, OSError) and cause.errno:
            reason = os.strerror(cause.errno)
        else:  # DuckDB's first line, without its "TransactionContext Error: " style prefix
            text = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
            reason = text.split("Error: ", 1)[-1] or type(cause).__name__
        return cls(f"cannot write the warehouse at {path}: {reason}")


def check_writable(path: Path) -> None:
    """Fail fast, before any step waits for the warehouse, when ``path`` cannot be written.

    Probes the file system only: opening the DuckDB file here would take its lock outside the
    warehouse pool and fail a run that should simply wait for the writer before it.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        probe = path.with_name(f".{path.name}.probe.{os.getpid()}")
        try:
            with probe.open("wb") as handle:
                handle.write(b"parity")
                handle.flush()
                os.fsync(handle.fileno())
        finally:
            probe.unlink(missing_ok=True)
        if path.exists():
            with path.open("r+b"):
                pass
    except (FileExistsError, NotADirectoryError) as exc:  # a folder on the way is a file
        raise WarehouseWriteError(f"cannot write the warehouse at {path}: "
                                  f"{exc.filename} is not a directory") from exc
    except OSError as exc:
        raise WarehouseWriteError.of(path, exc) from exc
