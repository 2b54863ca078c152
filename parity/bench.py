"""Benchmark harness (figures, not pass/fail): ``python -m parity.bench --sizes demo 10x``.

Each measurement runs in its own child process so wall time, CPU time and peak RSS belong to
that run alone (``os.wait4`` reports the child's own resource usage).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = {
    "small": {"agents": 24, "days": 7},
    "demo": {"agents": 200, "days": 90},
    "10x": {"agents": 2000, "days": 90},
}
BIN = Path(sys.executable).parent


def measure(argv: list[str], env: dict | None = None) -> dict:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one child process."""
    began = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(argv)} failed with status {status}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_mib": usage.ru_maxrss / 1024}


def bench_generator(size: str, workdir: Path) -> dict:
    shape = SIZES[size]
    out = workdir / size
    figures = measure([sys.executable, "-m", "parity.cli", "generate", "--no-progress",
                       "--force", "--agents", str(shape["agents"]), "--days",
                       str(shape["days"]), "--out", str(out)])
    manifest = json.loads((out / "truth.json").read_text())
    rows = sum(t["rows"] for t in manifest["totals"].values())
    contacts = manifest["totals"]["crm_interactions"]["rows"]
    size_mib = sum(t["bytes"] for t in manifest["totals"].values()) / 2**20
    return {"stage": "generate", "size": size, **shape, "rows": rows, "contacts": contacts,
            "output_mib": size_mib, **figures, "rows_per_s": rows / figures["wall_s"]}


def _env(size: str, workdir: Path) -> dict:
    """The environment of one size's runs: its landing folder, warehouse and Dagster home."""
    home = workdir / f"{size}-dagster"
    home.mkdir(exist_ok=True)
    return {**os.environ, "PARITY_LANDING_DIR": str(workdir / size), "DAGSTER_HOME": str(home),
            "PARITY_WAREHOUSE": str(workdir / f"{size}.duckdb"), "PARITY_PII_KEY": "bench-key"}


def _materialize(env: dict, selection: str, *partitions: str) -> dict:
    """One `dagster asset materialize` run, measured."""
    return measure([str(BIN / "dagster"), "asset", "materialize", "--select", selection,
                    "-m", "orchestration.definitions", *partitions], env=env)


def _partition_range(env: dict) -> str:
    return subprocess.run([str(BIN / "parity"), "partition-range"], env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def bench_ingest(size: str, workdir: Path) -> dict:
    """Every raw asset over every landed day, through the Dagster CLI as `make demo` runs it."""
    env = _env(size, workdir)
    warehouse = Path(env["PARITY_WAREHOUSE"])
    warehouse.unlink(missing_ok=True)
    figures = _materialize(env, "group:raw", "--partition-range", _partition_range(env))
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows, quarantined = con.execute("select sum(rows_read), sum(rows_quarantined) from "
                                        "ingest.ledger where active").fetchone()
        contacts = con.execute("select count(*) from raw.crm_interactions").fetchone()[0]
    shape = SIZES[size]
    return {"stage": "ingest", "size": size, **shape, "rows": int(rows), "contacts": contacts,
            "output_mib": warehouse.stat().st_size / 2**20, **figures,
            "rows_per_s": rows / figures["wall_s"], "quarantined": int(quarantined)}


def bench_transform(size: str, workdir: Path, one_day: bool = False) -> dict:
    """Every dbt model and test on the warehouse the ingest stage left, through Dagster: over
    the whole range, or (one_day) for the last day alone on top of the built history, as the
    nightly run does (the incremental facts rebuild that day's window)."""
    env = _env(size, workdir)
    span = _partition_range(env)
    partitions = ["--partition", span.split("...")[1]] if one_day else \
        ["--partition-range", span]
    figures = _materialize(env, "kind:dbt", *partitions)
    import duckdb

    with duckdb.connect(env["PARITY_WAREHOUSE"], read_only=True) as con:
        rows = con.execute("select count(*) from marts.fct_metric_values").fetchone()[0]
        contacts = con.execute("select count(*) from marts.fct_contacts").fetchone()[0]
    return {"stage": "dbt, last day" if one_day else "dbt build", "size": size,
            **SIZES[size], "rows": rows, "contacts": contacts,
            "output_mib": Path(env["PARITY_WAREHOUSE"]).stat().st_size / 2**20, **figures,
            "rows_per_s": contacts / figures["wall_s"]}


def bench_benchmarks(size: str, workdir: Path) -> dict:
    """The benchmark layer alone (group benchmarks: scores, percentiles, gaps, targets,
    actions), rebuilt on the marts the dbt stages left, for the last day as the nightly run
    does: every benchmark model reads the whole review period and baseline."""
    env = _env(size, workdir)
    last = _partition_range(env).split("...")[1]
    figures = _materialize(env, "group:benchmarks", "--partition", last)
    import duckdb

    with duckdb.connect(env["PARITY_WAREHOUSE"], read_only=True) as con:
        rows = con.execute("select count(*) from benchmarks.bm_scope_cells").fetchone()[0]
        contacts = con.execute("select count(*) from marts.fct_contacts").fetchone()[0]
    return {"stage": "benchmarks", "size": size, **SIZES[size], "rows": rows,
            "contacts": contacts,
            "output_mib": Path(env["PARITY_WAREHOUSE"]).stat().st_size / 2**20, **figures,
            "rows_per_s": contacts / figures["wall_s"]}


def render(results: list[dict]) -> str:
    head = ("| stage | size | agents x days | contacts | rows | output MiB | "
            "wall s | CPU s | rows/s | peak RSS MiB |\n|---|---|---|---|---|---|---|---|---|---|")
    lines = [f"| {r['stage']} | {r['size']} | {r['agents']} x {r['days']} | {r['contacts']:,} | "
             f"{r['rows']:,} | {r['output_mib']:.0f} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | "
             f"{r['rows_per_s']:,.0f} | {r['peak_rss_mib']:.0f} |" for r in results]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    return "\n".join([f"Machine: {machine}", "", head, *lines])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="parity.bench", description=__doc__)
    parser.add_argument("--sizes", nargs="+", choices=sorted(SIZES), default=["demo", "10x"])
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where generated data goes (default: a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="parity-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        results = []
        for size in args.sizes:
            results.append(bench_generator(size, workdir))
            results.append(bench_ingest(size, workdir))
            results.append(bench_transform(size, workdir))
            results.append(bench_transform(size, workdir, one_day=True))
            results.append(bench_benchmarks(size, workdir))
    print(render(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
