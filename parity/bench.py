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


def bench_ingest(size: str, workdir: Path) -> dict:
    """Every raw asset over every landed day, through the Dagster CLI as `make demo` runs it."""
    landing, home = workdir / size, workdir / f"{size}-dagster"
    home.mkdir(exist_ok=True)
    warehouse = workdir / f"{size}.duckdb"
    warehouse.unlink(missing_ok=True)
    env = {**os.environ, "PARITY_LANDING_DIR": str(landing), "DAGSTER_HOME": str(home),
           "PARITY_WAREHOUSE": str(warehouse), "PARITY_PII_KEY": "bench-key"}
    bin_dir = Path(sys.executable).parent
    span = subprocess.run([str(bin_dir / "parity"), "partition-range"], env=env, check=True,
                          capture_output=True, text=True).stdout.strip()
    figures = measure([str(bin_dir / "dagster"), "asset", "materialize", "--select",
                       "group:raw", "-m", "orchestration.definitions", "--partition-range", span],
                      env=env)
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows, quarantined = con.execute("select sum(rows_read), sum(rows_quarantined) from "
                                        "ingest.ledger where active").fetchone()
        contacts = con.execute("select count(*) from raw.crm_interactions").fetchone()[0]
    shape = SIZES[size]
    return {"stage": "ingest", "size": size, **shape, "rows": int(rows), "contacts": contacts,
            "output_mib": warehouse.stat().st_size / 2**20, **figures,
            "rows_per_s": rows / figures["wall_s"], "quarantined": int(quarantined)}


def bench_transform(size: str, workdir: Path) -> dict:
    """Every dbt model and test on the warehouse the ingest stage left, through Dagster."""
    home, warehouse = workdir / f"{size}-dagster", workdir / f"{size}.duckdb"
    env = {**os.environ, "DAGSTER_HOME": str(home), "PARITY_WAREHOUSE": str(warehouse)}
    figures = measure([str(Path(sys.executable).parent / "dagster"), "asset", "materialize",
                       "--select", "kind:dbt", "-m", "orchestration.definitions"], env=env)
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select count(*) from marts.fct_metric_values").fetchone()[0]
        contacts = con.execute("select count(*) from marts.fct_contacts").fetchone()[0]
    return {"stage": "dbt build", "size": size, **SIZES[size], "rows": rows,
            "contacts": contacts, "output_mib": warehouse.stat().st_size / 2**20, **figures,
            "rows_per_s": contacts / figures["wall_s"]}


def render(results: list[dict]) -> str:
    head = ("| stage | size | agents x days | contacts | rows (all files) | output MiB | "
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
    print(render(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
