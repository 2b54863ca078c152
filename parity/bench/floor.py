"""The raw DuckDB floor: run floor.sql on the landing CSVs and write its metrics to Parquet.

    python -m parity.bench.floor LANDING OUT.parquet [--until YYYY-MM-DD] [--memory-limit 10GB]

Nothing of Parity runs here: the file lists go to the script as bound variables, and the script
is plain SQL (floor.sql beside this file).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

SCRIPT = Path(__file__).with_name("floor.sql")
SOURCES = {"agent_files": "agents", "crm_files": "crm_interactions", "survey_files": "surveys"}
DATED = re.compile(r"\d{4}-\d{2}-\d{2}")


def files(landing: Path, source: str, until: str | None = None) -> list[str]:
    """The source's CSV files, those dated after `until` (ISO date in the name) left out."""
    out = []
    for path in sorted((landing / source).glob("*.csv")):
        date = DATED.search(path.name)
        if until is None or (date and date.group() <= until):
            out.append(str(path))
    return out


def run(landing: Path, until: str | None = None, memory_limit: str | None = None):
    """floor_metrics as an Arrow table."""
    config = {"memory_limit": memory_limit} if memory_limit else {}
    with duckdb.connect(config=config) as con:
        for variable, source in SOURCES.items():
            con.execute(f"set variable {variable} = ?", [files(landing, source, until)])
        con.execute(SCRIPT.read_text())
        return con.sql("select * from floor_metrics").to_arrow_table()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="parity.bench.floor", description=__doc__)
    parser.add_argument("landing", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--until", help="last business date of the files read (ISO)")
    parser.add_argument("--memory-limit", help="DuckDB memory_limit, e.g. 10GB")
    args = parser.parse_args(argv)
    table = run(args.landing, args.until, args.memory_limit)
    pq.write_table(table, args.out)
    print(f"floor: {table.num_rows} metric rows -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
