"""The end-of-demo summary: what the warehouse holds and where to look next."""

from __future__ import annotations

from pathlib import Path

import duckdb

from parity import settings


def table_counts(warehouse: Path) -> list[tuple[str, str, int]]:
    """(schema, table, rows) for every base table, read through a read-only connection."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' order by 1, 2").fetchall()
        # Identifiers come from the catalog itself, quoted; never from user input.
        return [(schema, name, con.execute(
            f'select count(*) from "{schema}"."{name}"').fetchone()[0])
            for schema, name in tables]


def ingestion_totals(warehouse: Path) -> list[tuple]:
    """Per source, over the files currently loaded or rejected: files, rows read/loaded/quarantined."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        exists = con.execute("select count(*) from information_schema.tables where "
                             "table_schema = 'ingest' and table_name = 'ledger'").fetchone()[0]
        if not exists:
            return []
        return con.execute("""
            select source, count(*), count(*) filter (where status = 'rejected'),
                   sum(rows_read), sum(rows_loaded), sum(rows_quarantined)
            from ingest.ledger where active or status = 'rejected'
            group by source order by source""").fetchall()


def render_summary(warehouse: Path) -> str:
    lines = ["", "Parity demo summary", "==================="]
    if not warehouse.exists():
        lines.append(f"No warehouse at {warehouse}: run `make demo` first.")
        return "\n".join(lines)
    lines.append(f"Warehouse:    {warehouse}")
    lines.append(f"Dagster home: {settings.dagster_home() or '(DAGSTER_HOME not set)'}")
    lines.append(f"Landing:      {settings.landing_dir()}")
    lines.append("")
    lines.append(f"{'table':<40} {'rows':>12}")
    for schema, name, rows in table_counts(warehouse):
        lines.append(f"{schema + '.' + name:<40} {rows:>12,}")
    lines += ["", f"{'ingestion by source':<20} {'files':>6} {'rejected':>9} {'rows read':>12} "
                  f"{'loaded':>12} {'quarantined':>12}"]
    for source, files, rejected, read, loaded, quarantined in ingestion_totals(warehouse):
        lines.append(f"{source:<20} {files:>6} {rejected:>9} {read:>12,} {loaded:>12,} "
                     f"{quarantined:>12,}")
    lines += [
        "",
        "Next:",
        "  make ui     -> Dagster UI on http://127.0.0.1:3000 (assets, runs, metadata)",
        f"  duckdb -readonly {warehouse}   (or any BI tool, read-only)",
        "  make test   -> the test suite",
    ]
    return "\n".join(lines)
