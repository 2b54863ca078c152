"""The serving copy: complete, atomic for readers, never blocking the run, refused when its row
counts jump."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import duckdb
import pyarrow.parquet as pq
import pytest

from .conftest import BIN, REPO, cli_env

READER = r"""
import json, sys, time, duckdb
path, flag, out = sys.argv[1:]
con = duckdb.connect(path, read_only=True)
QUERY = ("select count(*), bit_xor(hash(metric_name, business_date, agent_id, channel, "
         "contact_reason, numerator, denominator)) from marts.fct_metric_values")
first = con.execute(QUERY).fetchone()
reads = errors = torn = 0
while True:
    try:
        now = con.execute(QUERY).fetchone()
        reads += 1
        torn += now != first
    except Exception:
        errors += 1
    if reads >= 50 and __import__("os").path.exists(flag):
        break
    time.sleep(0.01)
json.dump({"reads": reads, "errors": errors, "torn": torn, "first": first}, open(out, "w"))
"""


def _publish(env: dict, partition: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "dagster"), "asset", "materialize", "-m",
                           "orchestration.definitions", "--select", "serving/snapshot",
                           "--partition", partition],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


def _last_partition(env: dict) -> str:
    span = subprocess.run([str(BIN / "parity"), "partition-range"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    return span.stdout.strip().split("...")[1]


@pytest.fixture()
def own_serving(tmp_path, built, landing):
    """A copy of the built warehouse and its serving folder, for runs that change them."""
    shutil.copy(built.warehouse, tmp_path / "parity.duckdb")
    env = cli_env(tmp_path, landing, tmp_path / "parity.duckdb")
    shutil.copytree(built.env["PARITY_SERVING_DIR"], env["PARITY_SERVING_DIR"], symlinks=True)
    return env


def test_the_run_publishes_a_complete_snapshot_with_parquet_and_report(built):
    serving = built.env["PARITY_SERVING_DIR"]
    current = os.path.join(serving, "current")
    assert os.path.islink(current)
    manifest = json.loads(open(os.path.join(current, "manifest.json")).read())
    with duckdb.connect(str(built.warehouse), read_only=True) as wh:
        tables = [t for (t,) in wh.execute(
            "select schema_name || '.' || table_name from duckdb_tables() "
            "where schema_name in ('marts', 'benchmarks', 'reference') "
            "or (schema_name = 'ingest' and table_name = 'ledger')").fetchall()]
        counts = {t: wh.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
    assert manifest["tables"] == counts and len(counts) > 30
    with duckdb.connect(os.path.join(current, "parity.duckdb"), read_only=True) as snap:
        for table, rows in counts.items():
            assert snap.execute(f"select count(*) from {table}").fetchone()[0] == rows
            assert pq.ParquetFile(os.path.join(current, "parquet", f"{table}.parquet")
                                  ).metadata.num_rows == rows
    assert os.path.getsize(os.path.join(current, "report.html")) > 10_000
    assert "Asset check 'gx_percentiles_monotone' on 'benchmarks/bm_peer_percentiles' passed" \
        in built.output


def test_a_reader_holding_the_copy_sees_one_whole_snapshot_and_never_blocks_the_run(
        own_serving, tmp_path):
    env = {**own_serving, "PARITY_KEEP_SNAPSHOTS": "1"}  # the held snapshot is pruned too
    serving = env["PARITY_SERVING_DIR"]
    old = os.path.realpath(os.path.join(serving, "current"))
    flag, out = tmp_path / "stop", tmp_path / "reader.json"
    reader = subprocess.Popen([sys.executable, "-c", READER,
                               os.path.join(serving, "current", "parity.duckdb"), str(flag),
                               str(out)])
    try:
        time.sleep(1)
        done = _publish(env, _last_partition(env))
        assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    finally:
        flag.touch()
        reader.wait(timeout=120)
    seen = json.loads(out.read_text())
    assert seen["reads"] >= 50 and seen["errors"] == 0 and seen["torn"] == 0
    new = os.path.realpath(os.path.join(serving, "current"))
    assert new != old and not os.path.exists(old)  # switched, and the old copy pruned
    with duckdb.connect(os.path.join(serving, "current", "parity.duckdb"), read_only=True) as c:
        assert list(c.execute(
            "select count(*), bit_xor(hash(metric_name, business_date, agent_id, channel, "
            "contact_reason, numerator, denominator)) from marts.fct_metric_values"
        ).fetchone()) == seen["first"]  # the same data, in a new snapshot
    assert not [p for p in os.listdir(os.path.join(serving, "snapshots")) if p.startswith(".")]


def test_a_row_count_jump_keeps_readers_on_the_old_snapshot(own_serving):
    """Known-bad: the snapshot readers see claims ten times the rows of every table; the new
    snapshot fails the row-count expectation and is not published."""
    serving = own_serving["PARITY_SERVING_DIR"]
    current = os.path.realpath(os.path.join(serving, "current"))
    manifest_path = os.path.join(current, "manifest.json")
    manifest = json.loads(open(manifest_path).read())
    manifest["tables"] = {t: 10 * n + 1000 for t, n in manifest["tables"].items()}
    open(manifest_path, "w").write(json.dumps(manifest))
    done = _publish(own_serving, _last_partition(own_serving))
    log = done.stdout + done.stderr
    assert done.returncode != 0
    assert "gx_row_counts_within_bounds" in log and "not published" in log
    assert os.path.realpath(os.path.join(serving, "current")) == current


def test_a_failing_expectation_blocks_the_publish(own_serving, monkeypatch):
    """Known-bad: percentiles out of order in the warehouse. A run with the blocking
    great-expectations check and the publish fails the check and publishes nothing."""
    import dagster as dg
    from dagster_duckdb import DuckDBResource

    from orchestration.definitions import defs

    warehouse = own_serving["PARITY_WAREHOUSE"]
    serving = own_serving["PARITY_SERVING_DIR"]
    before = os.path.realpath(os.path.join(serving, "current"))
    with duckdb.connect(warehouse) as con:
        con.execute("update benchmarks.bm_peer_percentiles set p90 = p25 - 1 "
                    "where metric_name = 'aht'")
    monkeypatch.setenv("PARITY_SERVING_DIR", serving)
    check = dg.AssetCheckKey(dg.AssetKey(["benchmarks", "bm_peer_percentiles"]),
                             "gx_percentiles_monotone")
    job = defs.resolve_implicit_global_asset_job_def().get_subset(
        asset_selection={dg.AssetKey(["serving", "snapshot"])},
        asset_check_selection={check, dg.AssetCheckKey(dg.AssetKey(["serving", "snapshot"]),
                                                       "gx_row_counts_within_bounds")})
    result = job.execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
        partition_key=_last_partition(own_serving),
        resources={"warehouse": DuckDBResource(database=warehouse)})
    evaluation = next(e.asset_check_evaluation_data for e in result.all_events
                      if e.event_type_value == "ASSET_CHECK_EVALUATION")
    assert not evaluation.passed and evaluation.asset_check_key == check
    assert evaluation.metadata["expectations_failed"].value == 1  # p90 >= p75, nothing else
    assert not result.asset_materializations_for_node("serving__snapshot")
    assert os.path.realpath(os.path.join(serving, "current")) == before
    assert len(os.listdir(os.path.join(serving, "snapshots"))) == 1  # nothing new written


def test_the_bi_guide_queries_run_on_the_serving_copy(built):
    """Every SQL example of docs/bi-guide.md answers on the serving copy, and every table it
    lists is published."""
    import re

    guide = (REPO / "docs" / "bi-guide.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", guide, flags=re.S)
    queries = [q.strip() for block in blocks for q in block.split(";") if q.strip()
               and not all(line.strip().startswith("--") for line in q.strip().splitlines())]
    assert len(queries) >= 4
    path = os.path.join(built.env["PARITY_SERVING_DIR"], "current", "parity.duckdb")
    with duckdb.connect(path, read_only=True) as con:
        for query in queries:
            con.execute(query).fetchall()
        published = {t for (t,) in con.execute(
            "select schema_name || '.' || table_name from duckdb_tables()").fetchall()}
    listed = set(re.findall(r"`((?:marts|benchmarks|ingest)\.\w+)`", guide))
    assert listed and listed <= published
