"""The stages of the pipeline at one size, each a measured child process.

A size has a landing folder, a warehouse, a Dagster home, a serving folder and a dbt target
folder of its own under the workdir. Two runs are measured: ``full``, every landed day but the
last in one Dagster run per stage (a single-run backfill, as `make materialize` does), then
``day``, the last landed day alone on top of that history, as the nightly run does: its files
are new to the ledger, its incremental facts rebuild the day's window.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from parity.bench.measure import Results, measure

SIZES = {
    # CI's size: ten days, so the last one (the increment) is a Wednesday with contacts and
    # the first days have a closed FCR window.
    "small": {"agents": 24, "days": 10},
    "demo": {"agents": 200, "days": 90},
    "10x": {"agents": 2000, "days": 90},
    # The generator's default window starts 2026-01-05; a year from there runs into the future,
    # which Dagster's daily partitions and the ingest checks (nothing in the future) refuse.
    "year": {"agents": 1000, "days": 365, "start": "2025-11-03"},
}
REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PIPELINE_STAGES = ("generate", "ingest", "dbt", "benchmarks", "checks", "publish", "report")
# Dagster asset selections of the stages that are Dagster runs. The dbt tests and the
# great-expectations suites run inside the runs of the assets they check (asset checks);
# the `checks` stage measures them again on their own (parity.bench.checks). `dbt` is every
# dbt model, the benchmark layer included, in one dbt build as the real run does: dagster-dbt
# ties a relationships test to both of its models, so the marts cannot be built without the
# benchmark tables their tests reach. `benchmarks` then rebuilds that layer alone, to show
# its share.
SELECTIONS = {
    "ingest": "group:raw",
    "dbt": "kind:dbt",
    "benchmarks": "group:benchmarks",
    "publish": "serving/snapshot",
    "report": "serving/report",
}


def landing(workdir: Path, size: str) -> Path:
    return workdir / size


def warehouse(workdir: Path, size: str) -> Path:
    return workdir / f"{size}.duckdb"


def environment(workdir: Path, size: str, duckdb_memory: str | None = None) -> dict:
    """The environment of one size's runs, as `make` gives it to the commands."""
    home = workdir / f"{size}-dagster"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    env = {**os.environ, "PARITY_LANDING_DIR": str(landing(workdir, size)),
           "DAGSTER_HOME": str(home), "PARITY_WAREHOUSE": str(warehouse(workdir, size)),
           "PARITY_SERVING_DIR": str(workdir / f"{size}-serving"),
           "PARITY_PII_KEY": "bench-key",
           # dbt artifacts (run_results.json of every invocation) stay with the size
           "DBT_TARGET_PATH": str(workdir / f"{size}-dbt-target")}
    if duckdb_memory:
        env["PARITY_DUCKDB_MEMORY"] = duckdb_memory
    return env


def days(env: dict) -> tuple[str, str, str]:
    """(first, second-to-last, last) landed business day."""
    span = subprocess.run([str(BIN / "parity"), "partition-range"], env=env, check=True,
                          capture_output=True, text=True, cwd=REPO).stdout.strip()
    first, last = span.split("...")
    before = (dt.date.fromisoformat(last) - dt.timedelta(days=1)).isoformat()
    return first, before, last


def partitions(env: dict, run: str) -> list[str]:
    first, before, last = days(env)
    return ["--partition-range", f"{first}...{before}"] if run == "full" else \
        ["--partition", last]


def _scalar(path: Path, sql: str):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def generate(workdir: Path, size: str, log: Path) -> dict:
    shape = SIZES[size]
    out = landing(workdir, size)
    figures = measure([sys.executable, "-m", "parity.cli", "generate", "--no-progress",
                       "--force", "--agents", str(shape["agents"]), "--days",
                       str(shape["days"]), "--out", str(out),
                       *(["--start", shape["start"]] if "start" in shape else [])],
                      log, cwd=REPO)
    manifest = json.loads((out / "truth.json").read_text())
    return {**figures, "rows": sum(t["rows"] for t in manifest["totals"].values()),
            "contacts": manifest["totals"]["crm_interactions"]["rows"],
            "output_mib": sum(t["bytes"] for t in manifest["totals"].values()) / 2**20}


def dagster_stage(workdir: Path, size: str, run: str, stage: str, log: Path,
                  duckdb_memory: str | None) -> dict:
    """One `dagster asset materialize` run of the stage's selection, measured."""
    env = environment(workdir, size, duckdb_memory)
    db = warehouse(workdir, size)
    if stage == "ingest" and run == "full":  # a fresh start: no warehouse, runs or snapshots
        db.unlink(missing_ok=True)
        for folder in (Path(env["DAGSTER_HOME"]) / "storage", Path(env["PARITY_SERVING_DIR"]),
                       Path(env["DBT_TARGET_PATH"])):
            shutil.rmtree(folder, ignore_errors=True)
    window = partitions(env, run)
    figures = measure([str(BIN / "dagster"), "asset", "materialize", "--select",
                       SELECTIONS[stage], "-m", "orchestration.definitions", *window],
                      log, env=env, cwd=REPO)
    out = {**figures, "partitions": window[1]}
    if figures["outcome"] == "ok":
        out["contacts"] = _scalar(db, "select count(*) from raw.crm_interactions")
        out["warehouse_mib"] = db.stat().st_size / 2**20
        if stage == "ingest":
            out["rows"] = int(_scalar(db, "select sum(rows_read) from ingest.ledger where "
                                          "active"))
            out["quarantined"] = int(_scalar(db, "select sum(rows_quarantined) from "
                                                 "ingest.ledger where active"))
        elif stage == "dbt":
            out["rows"] = _scalar(db, "select count(*) from marts.fct_metric_values")
        elif stage == "benchmarks":
            out["rows"] = _scalar(db, "select count(*) from benchmarks.bm_scope_cells")
    if stage in ("dbt", "benchmarks"):
        out["dbt_run_results"] = latest_run_results(workdir, size)
    return out


def latest_run_results(workdir: Path, size: str) -> str | None:
    """The run_results.json the stage's dbt invocation left (dagster-dbt gives each
    invocation its own folder under DBT_TARGET_PATH)."""
    found = sorted((workdir / f"{size}-dbt-target").glob("*/run_results.json"),
                   key=lambda p: p.stat().st_mtime)
    return str(found[-1]) if found else None


def checks(workdir: Path, size: str, run: str, log: Path, duckdb_memory: str | None) -> dict:
    """The dbt tests and the great-expectations suites alone, in one child process
    (parity.bench.checks): inside Dagster they run as asset checks within the dbt, benchmarks
    and publish runs and cannot be selected without their assets from the CLI."""
    env = environment(workdir, size, duckdb_memory)
    first, before, last = days(env)
    window = (first, before) if run == "full" else (last, last)
    return measure([sys.executable, "-m", "parity.bench.checks", *window], log, env=env,
                   cwd=REPO)


def run_stage(results: Results, workdir: Path, size: str, run: str, stage: str,
              duckdb_memory: str | None = None) -> dict:
    log = workdir / "logs" / f"{size}-{run}-{stage}.log"
    print(f"[bench] {size} {run} {stage} ...", flush=True)
    if stage == "generate":
        figures = generate(workdir, size, log)
    elif stage == "checks":
        figures = checks(workdir, size, run, log, duckdb_memory)
    else:
        figures = dagster_stage(workdir, size, run, stage, log, duckdb_memory)
    record = {"size": size, "run": run, "stage": stage, "agents": SIZES[size]["agents"],
              "days": SIZES[size]["days"],
              "duckdb_memory": duckdb_memory, **figures}
    print(f"[bench] {size} {run} {stage}: {figures['outcome']}, {figures['wall_s']:.1f} s wall, "
          f"{figures['cpu_s']:.1f} s CPU, {figures['peak_rss_mib']:.0f} MiB", flush=True)
    if figures["outcome"] != "ok":
        raise RuntimeError(f"{size} {run} {stage} {figures['outcome']}: see {log}")
    return results.put(record)
