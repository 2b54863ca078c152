"""The serving copy for BI tools: a complete snapshot of the published tables, switched to
atomically.

Layout under the serving folder (PARITY_SERVING_DIR, default data/serving)::

    snapshots/<stamp>/parity.duckdb     every published table, one DuckDB file
    snapshots/<stamp>/parquet/<schema>.<table>.parquet
    snapshots/<stamp>/manifest.json     tables, row counts, run id, time
                                        (also inside the database: serving.manifest)
    snapshots/<stamp>/report.html       the report of that snapshot (written by the report asset)
    current -> snapshots/<stamp>        the one symlink readers follow

A snapshot is written under a hidden temporary name, closed, renamed into place, and only then
does ``current`` move, by renaming a new symlink over it (atomic on POSIX). A reader opens
``current/parity.duckdb`` read-only: it gets the old or the new snapshot, both complete, and
keeps the file it opened even after ``current`` moves or the old snapshot is pruned (an
unlinked file lives until its last reader closes it). The warehouse is never shared with BI.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from parity import faults
from parity.ingest.tables import ident

PUBLISHED_SCHEMAS = ("marts", "benchmarks", "reference")
PUBLISHED_EXTRA = (("ingest", "ledger"),)  # data quality: every file, rows read/loaded/quarantined
DATABASE_NAME = "parity.duckdb"
MANIFEST = "manifest.json"
MANIFEST_TABLE = ("serving", "manifest")
"""Inside each snapshot database, written after every table: one row per published table with
its row count and the run that published it, so a reader can tell from its own connection
which snapshot it has and that it is whole."""
BATCH_ROWS = 200_000


@dataclass(frozen=True)
class Snapshot:
    path: Path
    tables: dict[str, int]  # "schema.table" -> rows

    @property
    def database(self) -> Path:
        return self.path / DATABASE_NAME


def qualified(schema: str, table: str) -> str:
    """schema.table, each part checked against the identifier allow-list and quoted."""
    return f"{ident(schema)}.{ident(table)}"


def published_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    rows = con.execute("select table_schema, table_name from information_schema.tables "
                       "where table_type = 'BASE TABLE' order by 1, 2").fetchall()
    return [(s, t) for s, t in rows if s in PUBLISHED_SCHEMAS or (s, t) in PUBLISHED_EXTRA]


def current(serving: Path) -> Snapshot | None:
    """The snapshot readers see now, or None before the first publish."""
    link = serving / "current"
    if not link.exists():
        return None
    target = link.resolve()
    manifest = json.loads((target / MANIFEST).read_text())
    return Snapshot(target, manifest["tables"])


def _copy_table(source: duckdb.DuckDBPyConnection, target: duckdb.DuckDBPyConnection,
                schema: str, table: str, parquet: Path) -> int:
    """Stream one table into the snapshot database and its Parquet file, batch by batch."""
    name = qualified(schema, table)
    target.execute(f"create schema if not exists {ident(schema)}")
    reader = source.sql(f"select * from {name}").to_arrow_reader(BATCH_ROWS)
    target.register("incoming", reader)
    target.execute(f"create table {name} as select * from incoming")
    target.unregister("incoming")
    exported = target.sql(f"select * from {name}").to_arrow_reader(BATCH_ROWS)
    rows = 0
    with pq.ParquetWriter(parquet, exported.schema) as writer:
        for batch in exported:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


def write_snapshot(con: duckdb.DuckDBPyConnection, serving: Path, run_id: str) -> Snapshot:
    """Copy every published table into a new, complete snapshot folder (not yet current)."""
    created = dt.datetime.now(dt.timezone.utc)
    stamp = created.strftime("%Y%m%dT%H%M%S%fZ")
    final = serving / "snapshots" / f"{stamp}-{run_id[:8]}"
    building = final.with_name(f".{final.name}.building")
    shutil.rmtree(building, ignore_errors=True)
    (building / "parquet").mkdir(parents=True)
    target = duckdb.connect(str(building / DATABASE_NAME))
    tables = {}
    try:
        for schema, table in published_tables(con):
            tables[f"{schema}.{table}"] = _copy_table(
                con, target, schema, table, building / "parquet" / f"{schema}.{table}.parquet")
        _write_manifest_table(target, tables, run_id, created)
        target.execute("checkpoint")
    finally:
        target.close()
    manifest = {"run_id": run_id, "created_at": created.isoformat(),
                "tables": tables}
    (building / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    _fsync_tree(building)
    os.rename(building, final)
    return Snapshot(final, tables)


def _write_manifest_table(target: duckdb.DuckDBPyConnection, tables: dict[str, int],
                          run_id: str, created: dt.datetime) -> None:
    schema, table = MANIFEST_TABLE
    target.execute(f"create schema {ident(schema)}")
    target.execute(f"create table {qualified(schema, table)} (table_name varchar not null, "
                   "row_count bigint not null, run_id varchar not null, "
                   "created_at timestamptz not null)")
    target.executemany(f"insert into {qualified(schema, table)} values (?, ?, ?, ?)",
                       [(name, rows, run_id, created) for name, rows in sorted(tables.items())])


def switch_current(serving: Path, snapshot: Snapshot) -> None:
    """Point ``current`` at the snapshot in one atomic rename of a fresh symlink."""
    faults.pause_at(faults.PUBLISH_BEFORE_SWITCH)
    link = serving / "current"
    fresh = serving / f".current.{os.getpid()}"
    fresh.unlink(missing_ok=True)
    fresh.symlink_to(snapshot.path.relative_to(serving))
    os.replace(fresh, link)
    _fsync_dir(serving)


def prune(serving: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` snapshots (never the current one), any folder a
    crashed publish left half-built and any link it left unswitched."""
    folder = serving / "snapshots"
    now = current(serving)
    removed = []
    for stale in folder.glob(".*.building"):
        shutil.rmtree(stale, ignore_errors=True)
        removed.append(stale)
    for link in serving.glob(".current.*"):
        if link.is_symlink() and link.name != f".current.{os.getpid()}":
            link.unlink(missing_ok=True)
    snapshots = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in snapshots[:-keep] if keep else snapshots:
        if now is None or old.resolve() != now.path:
            shutil.rmtree(old)
            removed.append(old)
    return removed


def _fsync_dir(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _fsync_tree(path: Path) -> None:
    """Flush the snapshot's files before it is renamed into place (a crash never leaves a
    named snapshot with missing bytes)."""
    for file in path.rglob("*"):
        if file.is_file():
            with file.open("rb+") as handle:
                os.fsync(handle.fileno())
    for folder in [path, *(p for p in path.rglob("*") if p.is_dir())]:
        _fsync_dir(folder)
