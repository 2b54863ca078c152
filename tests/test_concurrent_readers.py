"""BI readers during a nightly run: every read sees one whole snapshot, and none fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from .conftest import BIN, REPO, assert_current_is_whole, cli_env

READER = r"""
import json, os, sys, time, duckdb
from parity.serving import qualified
current, flag, out = sys.argv[1:]
# One statement: the run that published the snapshot and every published table's row count,
# set against the snapshot's own manifest (written last into the same file). A read that mixed
# two snapshots, or a snapshot missing rows or tables, gives counts that are not the manifest's.
reads = errors = torn = opens = 0
seen, problems = [], []
stop_after = None
while stop_after is None or reads < stop_after:
    try:
        con = duckdb.connect(current, read_only=True)  # as BI does, through the current link
        opens += 1
        manifest = con.execute("select table_name, row_count from serving.manifest "
                               "order by table_name").fetchall()
        query = "select (select any_value(run_id) from serving.manifest), " + ", ".join(
            f"(select count(*) from {qualified(*name.split('.'))})" for name, _ in manifest)
        expected = [rows for _, rows in manifest]
        for _ in range(20):  # then reopen, to cross the switches of ``current``
            run_id, *counts = con.execute(query).fetchone()
            reads += 1
            if counts != expected or len(expected) < 30:
                torn += 1
                problems.append([run_id, counts, expected])
            if not seen or seen[-1] != run_id:
                seen.append(run_id)
            time.sleep(0.01)  # a busy dashboard, not a busy loop: leave the run its CPU
        con.close()
    except Exception as exc:
        errors += 1
        problems.append(repr(exc))
        if errors > 100:
            break
    if stop_after is None and os.path.exists(flag):
        stop_after = max(1000, reads + 40)  # two more opens at least, after the runs ended
json.dump({"reads": reads, "errors": errors, "torn": torn, "opens": opens, "seen": seen,
           "problems": problems[:20]}, open(out, "w"))
"""


def test_readers_see_whole_snapshots_while_the_nightly_run_publishes_twice(built, tmp_path):
    """A reader process runs at least 1,000 read queries on current/parity.duckdb (read-only,
    reopened every 20 queries) while a real nightly run of a day rebuilds the warehouse and
    publishes, and a second run publishes again: zero errors, zero torn reads, and the reader
    saw the snapshots change (otherwise the test would prove nothing)."""
    shutil.copy(built.warehouse, tmp_path / "parity.duckdb")
    env = cli_env(tmp_path, built.env["PARITY_LANDING_DIR"], tmp_path / "parity.duckdb")
    shutil.copytree(built.env["PARITY_SERVING_DIR"], env["PARITY_SERVING_DIR"], symlinks=True)
    env["PARITY_KEEP_SNAPSHOTS"] = "1"  # prune what readers may still hold, too
    serving = tmp_path / "serving"
    first = json.loads((assert_current_is_whole(serving) / "manifest.json").read_text())
    span = subprocess.run([str(BIN / "parity"), "partition-range"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    day = span.stdout.strip().split("...")[1]

    flag, out = tmp_path / "stop", tmp_path / "reader.json"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(serving / "current" /
                                                             "parity.duckdb"), str(flag),
                               str(out)])
    try:
        for select in ("*", "serving/snapshot"):  # the nightly run, then a second publish
            done = subprocess.run(
                [str(BIN / "dagster"), "asset", "materialize", "-m",
                 "orchestration.definitions", "--select", select, "--partition", day],
                cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
            assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    finally:
        flag.touch()
        reader.wait(timeout=600)
    seen = json.loads(out.read_text())
    assert seen["errors"] == 0 and seen["torn"] == 0, seen["problems"]
    assert seen["reads"] >= 1000
    last = assert_current_is_whole(serving)
    # the reader started on the first snapshot, ended on the last, and crossed the one between
    assert seen["seen"][0] == first["run_id"]
    assert seen["seen"][-1] == json.loads((last / "manifest.json").read_text())["run_id"]
    assert len(seen["seen"]) == len(set(seen["seen"])) == 3, seen["seen"]
    assert sorted(os.listdir(serving / "snapshots")) == [last.name]  # the others pruned
