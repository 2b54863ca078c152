"""The end-of-demo summary: what the warehouse holds and where to look next."""

from __future__ import annotations

from pathlib import Path

import duckdb

from parity import settings
from parity.benchmark_summary import benchmark_lines
from parity.ingest.tables import ident


def table_counts(warehouse: Path) -> list[tuple[str, str, int]]:
    """(schema, table, rows) for every base table, read through a read-only connection."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' order by 1, 2").fetchall()
        # Names come from the catalog, yet anyone who can write the warehouse can name a table:
        # each goes through the identifier allow-list, and an unexpected one is refused.
        return [(schema, name, con.execute(
            f"select count(*) from {ident(schema)}.{ident(name)}").fetchone()[0])
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


HEADLINE_METRICS = ("fcr_repeat", "aht", "service_level", "abandonment_rate", "csat", "nps",
                    "qa_score")


def center_values(warehouse: Path) -> dict[str, dict[str, str]]:
    """Whole-period center value of the headline metrics, by channel (sums of the parts)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        exists = con.execute("select count(*) from information_schema.tables where "
                             "table_schema = 'marts' and table_name = 'fct_metric_values'"
                             ).fetchone()[0]
        if not exists:
            return {}
        rows = con.execute("""
            select v.metric_name, v.channel, any_value(m.unit),
                   sum(v.numerator) / sum(v.denominator) * any_value(m.scale)
            from marts.fct_metric_values v join marts.dim_metrics m using (metric_name)
            where v.metric_name in (select unnest(?)) group by all""",
                           [list(HEADLINE_METRICS)]).fetchall()
    out: dict[str, dict[str, str]] = {m: {} for m in HEADLINE_METRICS}
    for metric, channel, unit, value in rows:
        out[metric][channel] = "-" if value is None else (
            f"{value:.1%}" if unit == "ratio" else f"{value:,.1f}")
    return {m: v for m, v in out.items() if v}


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
    headline = center_values(warehouse)
    if headline:
        lines += ["", f"{'center, whole period':<28} {'voice':>10} {'chat':>10} {'email':>10}"]
        for metric, by_channel in headline.items():
            cells = " ".join(f"{by_channel.get(ch, '-'):>10}" for ch in ("voice", "chat",
                                                                          "email"))
            lines.append(f"{metric:<28} {cells}")
    lines += benchmark_lines(warehouse)
    current = settings.serving_dir() / "current"
    if current.exists():
        lines += ["", "Published for BI (read-only, switched atomically on every run):",
                  f"  serving copy: {current / 'parity.duckdb'}",
                  f"  Parquet:      {current / 'parquet'}/",
                  f"  report:       {current / 'report.html'}",
                  f"  snapshot:     {current.resolve().name}"]
    reader = current / "parity.duckdb" if current.exists() else warehouse
    lines += [
        "",
        "Next:",
        "  make ui     -> Dagster UI on http://127.0.0.1:3000 (assets, runs, metadata)",
        f"  duckdb -readonly {reader}   (or any BI tool: docs/bi-guide.md)",
        "  make test   -> the test suite",
    ]
    return "\n".join(lines)
