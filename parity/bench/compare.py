"""The floor and pandas stages: the five core metrics without Parity, measured beside it.

Both read the landing CSVs of the full run's days (every landed day but the last), as the
Parity run did, and their numbers are compared with Parity's marts right after (not measured);
after the +1 day run the floor reads every day and is compared with the incremental marts.
The pandas script runs under an address-space cap and a time cap: at the largest sizes it may
not fit, and that is a figure too.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow.parquet as pq

from parity.bench import agreement
from parity.bench.measure import GIB, Results, measure
from parity.bench.pipeline import REPO, SIZES, days, environment, landing, warehouse


def loaded_until(db: Path) -> str | None:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        # the ledger, not the contacts: a last day may have none (a Sunday)
        last = con.execute("select max(business_date) from ingest.ledger where active "
                           "and source = 'crm_interactions'").fetchone()[0]
    return last.isoformat() if last else None


def run_stage(results: Results, workdir: Path, size: str, stage: str,
              duckdb_memory: str | None = None, pandas_memory_gib: float = 12,
              pandas_time_s: float = 1800, run: str = "full") -> dict:
    """stage is `floor` (floor.sql in DuckDB) or `pandas` (analyst.py), on the days of the
    full run, or (run `day`) on every landed day, compared with the marts the +1 day run left
    (the incremental build must give the numbers of a build from scratch)."""
    env = environment(workdir, size, duckdb_memory)
    _, before, last = days(env)
    until = last if run == "day" else before
    out = workdir / f"{size}-{run}-{stage}.parquet"
    out.unlink(missing_ok=True)
    log = workdir / "logs" / f"{size}-{run}-{stage}.log"
    print(f"[bench] {size} {run} {stage} ...", flush=True)
    if stage == "floor":
        figures = measure([sys.executable, "-m", "parity.bench.floor",
                           str(landing(workdir, size)), str(out), "--until", until,
                           *(["--memory-limit", duckdb_memory] if duckdb_memory else [])],
                          log, cwd=REPO)
    else:
        figures = measure([sys.executable, "-m", "parity.bench.analyst",
                           str(landing(workdir, size)), str(out), "--until", until],
                          log, cwd=REPO, memory_cap=int(pandas_memory_gib * GIB),
                          time_cap=pandas_time_s)
    record = {"size": size, "run": run, "stage": stage, "agents": SIZES[size]["agents"],
              "days": SIZES[size]["days"], "duckdb_memory": duckdb_memory, **figures,
              "until": until}
    if figures["outcome"] == "ok":
        table = pq.read_table(out)
        record["rows"] = table.num_rows
        db = warehouse(workdir, size)
        if db.exists() and loaded_until(db) == until:  # the marts of the same days
            result = agreement.compare(table, agreement.marts(db))
            record["agreement"] = result
            record["agrees"] = agreement.agrees(result)
    print(f"[bench] {size} {run} {stage}: {figures['outcome']}, {figures['wall_s']:.1f} s wall, "
          f"{figures['cpu_s']:.1f} s CPU, {figures['peak_rss_mib']:.0f} MiB"
          + (f", agrees with the marts: {record['agrees']}" if "agrees" in record else ""),
          flush=True)
    return results.put(record)
