"""The landing inventory: one warehouse row per extract file found in the landing folder."""


import dagster as dg
from dagster_duckdb import DuckDBResource

from parity import settings
from parity.landing import count_rows, scan_landing

INVENTORY_DDL = """
create schema if not exists landing;
create table if not exists landing.files (
    source varchar not null,
    file_name varchar not null,
    file_format varchar not null,
    business_date date,
    size_bytes bigint not null,
    sha256 varchar not null,
    rows_in_file bigint not null,
    run_id varchar not null,
    primary key (source, file_name)
);
"""


@dg.asset(
    key=["landing", "files"],
    group_name="landing",
    kinds={"duckdb"},
    description="One row per extract file in the landing folder: source, business date, "
                "size, sha256 and data rows. Rebuilt whole on each run.",
)
def landing_files(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
    """One row per extract file in the landing folder, with its fingerprint and row count."""
    root = settings.landing_dir()
    files = scan_landing(root)
    with warehouse.get_connection() as con:
        con.execute(INVENTORY_DDL)
        rows = [(f.source, f.path.name, f.file_format, f.business_date, f.size_bytes,
                 f.sha256, count_rows(con, f), context.run.run_id) for f in files]
        con.execute("begin transaction")
        con.execute("delete from landing.files")
        if rows:
            con.executemany("insert into landing.files values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        con.execute("commit")
        per_source = con.execute(
            "select source, count(*) files, sum(rows_in_file) data_rows from landing.files "
            "group by source order by source").fetchall()
    table = "\n".join(f"| {s} | {n} | {r:,} |" for s, n, r in per_source)
    return dg.MaterializeResult(metadata={
        "landing_dir": dg.MetadataValue.path(str(root)),
        "files": len(rows),
        "data_rows": sum(r[6] for r in rows),
        "per_source": dg.MetadataValue.md(
            "| source | files | rows |\n|---|---|---|\n" + table),
    })
