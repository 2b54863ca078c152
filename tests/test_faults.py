"""Faults: reruns, repeated and corrected deliveries, a run killed with SIGKILL at three points,
a full disk and an unwritable warehouse path.

Every run here is the real `dagster asset materialize` command on a small landing folder of its
own (24 agents x 4 days); each test starts from a copy of one uninterrupted reference build and
compares every published table with it, row multiset against row multiset.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster._core.launcher.base import WorkerStatus

from parity import faults
from parity.generator.run import GenerateOptions, generate
from parity.serving import qualified

from .conftest import (BIN, REPO, Built, assert_current_is_whole, cli_env, materialize,
                       published_differences)

OPTIONS = GenerateOptions(agents=24, days=4, seed=5)
SPAN = f"{OPTIONS.start.isoformat()}...{(OPTIONS.start + dt.timedelta(days=3)).isoformat()}"
DAY = (OPTIONS.start + dt.timedelta(days=2)).isoformat()
RUN_TIMEOUT = 400  # a run blocked on the pool would wait forever: fail instead


@pytest.fixture(scope="module")
def small_landing(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("landing")
    generate(out, OPTIONS, progress=False)
    return out


@pytest.fixture(scope="module")
def reference(tmp_path_factory, small_landing) -> Built:
    """One uninterrupted build of every day of a small landing folder: the expected result."""
    tmp = tmp_path_factory.mktemp("reference")
    env = cli_env(tmp, small_landing, tmp / "parity.duckdb")
    log = materialize(env, "--partition-range", SPAN)
    return Built(tmp / "parity.duckdb", Path(env["DAGSTER_HOME"]), env, log)


def clone(reference: Built, tmp: Path, warehouse: bool = True, landing: bool = False) -> dict:
    """A copy of the reference's warehouse and serving folder (a fresh Dagster home) to run on
    without touching the reference; ``warehouse=False``: start from nothing; ``landing``: a
    copy of the landing folder to change (the ledger then records the copy's paths)."""
    source = Path(reference.env["PARITY_LANDING_DIR"])
    if landing:
        shutil.copytree(source, tmp / "landing")
    env = cli_env(tmp, tmp / "landing" if landing else source, tmp / "parity.duckdb")
    if warehouse:
        shutil.copy(reference.warehouse, tmp / "parity.duckdb")
        shutil.copytree(reference.env["PARITY_SERVING_DIR"], env["PARITY_SERVING_DIR"],
                        symlinks=True)
    return env


def instance(env: dict) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(env["DAGSTER_HOME"])


def latest_metadata(env: dict, key: list[str]) -> dict:
    with instance(env) as dagster:
        event = dagster.get_latest_materialization_event(dg.AssetKey(key))
    return {k: v.value for k, v in event.asset_materialization.metadata.items()}


def kill_at(env: dict, point: str, tmp: Path, select: str, *partitions: str) -> str:
    """Start a run that stops at ``point``, then SIGKILL its whole process group there (the
    Dagster process, dbt and the log tailers): what `kill -9` or the OOM killer does."""
    marker = tmp / f"paused-{point}"
    log = tmp / f"killed-{point}.log"
    with log.open("w") as out:
        run = subprocess.Popen(
            [str(BIN / "dagster"), "asset", "materialize", "-m", "orchestration.definitions",
             "--select", select, *partitions], cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
            env={**env, faults.PAUSE_ENV: point, faults.MARKER_ENV: str(marker)},
            start_new_session=True)
        deadline = time.monotonic() + RUN_TIMEOUT
        while not marker.exists() and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        alive = worker_status(env) if marker.exists() else None
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
    text = log.read_text()
    assert marker.exists() and marker.read_text().split()[0] == point, text[-4000:]
    assert run.returncode == -signal.SIGKILL and "RUN_SUCCESS" not in text
    # what run monitoring is told about the run: running while paused, gone once killed
    assert (alive, worker_status(env)) == (WorkerStatus.RUNNING, WorkerStatus.FAILED)
    return text


def worker_status(env: dict) -> WorkerStatus:
    """The health check run monitoring makes on the one run of this Dagster home."""
    with instance(env) as dagster:
        (run,) = dagster.get_runs()
        return dagster.run_launcher.check_run_worker_health(run).status


def rerun(env: dict, *partitions: str) -> str:
    """The next run, uninterrupted; a run that cannot start (a pool slot held by the killed run)
    is killed at the timeout and fails the test."""
    log = Path(env["DAGSTER_HOME"]) / "rerun.log"
    with log.open("w") as out:
        run = subprocess.Popen(
            [str(BIN / "dagster"), "asset", "materialize", "-m", "orchestration.definitions",
             "--select", "*", *partitions], cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
            env=env, start_new_session=True)
        try:
            run.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    text = log.read_text()
    assert run.returncode == 0 and "RUN_SUCCESS" in text, text[-4000:]
    return text


def test_rerunning_a_day_changes_no_published_row(reference, tmp_path):
    """The nightly run of a day already loaded: every published table keeps every row."""
    env = clone(reference, tmp_path)
    before = assert_current_is_whole(Path(env["PARITY_SERVING_DIR"]))
    log = materialize(env, "--partition", DAY)
    assert f'"window_start": "{DAY}"' in log  # the day really went through dbt again
    assert published_differences(tmp_path / "parity.duckdb", reference.warehouse) == {}
    # nothing was reloaded, so not even the ledger's run columns moved
    assert published_differences(tmp_path / "parity.duckdb", reference.warehouse,
                                 exclude={}) == {}
    after = assert_current_is_whole(Path(env["PARITY_SERVING_DIR"]))
    assert after != before  # republished: a new snapshot, with the same rows


def test_the_same_file_delivered_twice_changes_nothing(reference, tmp_path):
    """The raw load of the day, with one file delivered again under its name and under another:
    both are recognised as already loaded, so the raw tables, the ledger and the quarantine
    keep every row and every column (run ids included). What is downstream of them is
    rebuilt from them alone (the rerun test above shows a rebuild changes nothing)."""
    env = clone(reference, tmp_path, landing=True)
    folder = tmp_path / "landing" / "crm_interactions"
    original = folder / f"crm_interactions_{DAY}.csv"
    shutil.copy(original, folder / f"crm_interactions_{DAY}_resent.csv")  # another name
    os.utime(original)  # and the same name, delivered again (a newer time, the same bytes)
    done = subprocess.run(
        [str(BIN / "dagster"), "asset", "materialize", "-m", "orchestration.definitions",
         "--select", "group:raw", "--partition", DAY], cwd=REPO, env=env,
        capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    crm = latest_metadata(env, ["raw", "crm_interactions"])
    assert (crm["files"], crm["files_unchanged"], crm["files_loaded"]) == (2, 2, 0)
    with duckdb.connect(str(tmp_path / "parity.duckdb"), read_only=True) as con:
        con.execute("attach ? as reference (read_only)", [str(reference.warehouse)])
        tables = con.execute("select schema_name, table_name from duckdb_tables() "
                             "where database_name = 'reference' and schema_name in "
                             "('raw', 'ingest') order by all").fetchall()
        assert len(tables) == 8
        for schema, table in tables:
            name = qualified(schema, table)
            assert con.execute(
                f"select count(*) from (select * from {name} except all "
                f"select * from reference.{name} union all (select * from reference.{name} "
                f"except all select * from {name}))").fetchone()[0] == 0, name


def test_a_corrected_file_replaces_its_day(reference, tmp_path):
    """One contact's talk time is corrected in its day's file, delivered again under the same
    name: after the day's run that contact and that day's metric values are the only daily
    rows that changed, and they carry the new value; the ledger keeps the old load as
    superseded."""
    env = clone(reference, tmp_path, landing=True)
    path = tmp_path / "landing" / "crm_interactions" / f"crm_interactions_{DAY}.csv"
    lines = path.read_text().splitlines(keepends=True)
    header = [c.strip('"') for c in lines[0].strip().split(",")]
    row = next(i for i, line in enumerate(lines[1:], 1)  # a handled contact, no quoted comma
               if len(line.rstrip("\n").split(",")) == len(header)
               and line.rstrip("\n").split(",")[header.index("abandoned")] == "false")
    fields = lines[row].rstrip("\n").split(",")
    talk = header.index("talk_seconds")
    interaction, old = fields[0].strip('"'), int(fields[talk])
    fields[talk] = str(old + 100)
    lines[row] = ",".join(fields) + "\n"
    path.write_text("".join(lines))

    materialize(env, "--partition", DAY)
    changed = published_differences(tmp_path / "parity.duckdb", reference.warehouse)
    assert {"marts.fct_contacts", "marts.fct_metric_values", "ingest.ledger"} <= changed.keys()
    assert changed["marts.fct_contacts"] == (1, 1)  # one contact, nothing else
    with duckdb.connect(str(tmp_path / "parity.duckdb"), read_only=True) as con:
        con.execute("attach ? as reference (read_only)", [str(reference.warehouse)])
        assert con.execute(
            "select interaction_id, business_date::varchar, talk_seconds "
            "from marts.fct_contacts except all "
            "select interaction_id, business_date::varchar, talk_seconds "
            "from reference.marts.fct_contacts").fetchall() == [(interaction, DAY, old + 100)]
        # daily metric values moved on that day only (weekly and monthly rollups and the
        # benchmarks over the period legitimately follow)
        assert con.execute(
            "select distinct business_date::varchar from (select * from marts.fct_metric_values "
            "except all select * from reference.marts.fct_metric_values)").fetchall() == [(DAY,)]
        ledger = con.execute(
            "select status, active, sha256 from ingest.ledger "
            "where source = 'crm_interactions' and business_date = ? order by loaded_at",
            [DAY]).fetchall()
        assert [(s, a) for s, a, _ in ledger] == [("superseded", False), ("loaded", True)]
        assert ledger[0][2] != ledger[1][2]
        assert con.execute("select count(*) from (select * exclude (run_id, loaded_at) "
                           "from ingest.ledger where not (source = 'crm_interactions' "
                           "and business_date = ?) except all select * exclude (run_id, "
                           "loaded_at) from reference.ingest.ledger)", [DAY]).fetchone()[0] == 0


def held_slots(env: dict) -> list[str]:
    with instance(env) as dagster:
        info = dagster.event_log_storage.get_concurrency_info("warehouse")
    return [slot.run_id for slot in info.claimed_slots]


def run_statuses(env: dict) -> list[dg.DagsterRunStatus]:
    with instance(env) as dagster:
        return [r.status for r in dagster.get_runs()]


@pytest.mark.parametrize("point", faults.POINTS)
def test_a_run_killed_mid_way_then_rerun_gives_the_uninterrupted_result(reference, tmp_path,
                                                                         point):
    """SIGKILL at a fault point, then the same run again: the published tables are exactly the
    reference's, readers never saw a partial copy, and nothing the killed run left (its STARTED
    run and pool slot, a DuckDB WAL, a half-written snapshot) stops or changes the rerun."""
    from_scratch = point == faults.RAW_BETWEEN_FILES  # a load that really writes files
    env = clone(reference, tmp_path, warehouse=not from_scratch)
    partitions = ("--partition-range", SPAN) if from_scratch else ("--partition", DAY)
    serving = Path(env["PARITY_SERVING_DIR"])
    readers_before = assert_current_is_whole(serving)

    # The publish point is reached through the publish step alone: what precedes it is a
    # rebuild that changes nothing (the rerun test), so the state at the kill is the same.
    kill_at(env, point, tmp_path,
            "serving/snapshot" if point == faults.PUBLISH_BEFORE_SWITCH else "*", *partitions)
    assert assert_current_is_whole(serving) == readers_before  # old copy (or none), whole
    assert run_statuses(env) == [dg.DagsterRunStatus.STARTED]  # what a kill leaves
    assert len(held_slots(env)) == 1  # ... holding the only warehouse slot
    if from_scratch:  # exactly the first file of the first source was committed
        with duckdb.connect(str(tmp_path / "parity.duckdb"), read_only=True) as con:
            assert con.execute("select source, status from ingest.ledger").fetchall() == [
                ("agents", "loaded")]
    if point == faults.PUBLISH_BEFORE_SWITCH:  # a whole snapshot written, never switched to
        written = [p for p in (serving / "snapshots").iterdir() if p != readers_before]
        assert len(written) == 1 and not written[0].name.startswith(".")
        # and what a kill while writing leaves: a hidden half-built folder
        (serving / "snapshots" / ".19700101T000000000000Z-deadbeef.building").mkdir()

    log = rerun(env, *partitions)
    assert "died without ending: marked failed, its warehouse pool slot given back" in log
    assert sorted(s.value for s in run_statuses(env)) == ["FAILURE", "SUCCESS"]
    assert held_slots(env) == []
    assert published_differences(tmp_path / "parity.duckdb", reference.warehouse) == {}
    published = assert_current_is_whole(serving)
    assert published is not None and published != readers_before
    assert not [p for p in (serving / "snapshots").iterdir() if p.name.startswith(".")]


def test_an_unwritable_warehouse_path_fails_with_the_path_and_the_cause(small_landing,
                                                                        tmp_path):
    """The warehouse's folder is a regular file (permissions would not stop root): the run
    fails before any step, naming the path and the cause."""
    env = cli_env(tmp_path, small_landing, tmp_path / "parity.duckdb")
    (tmp_path / "blocker").write_text("a file, not a folder")
    target = tmp_path / "blocker" / "parity.duckdb"
    done = subprocess.run(
        [str(BIN / "dagster"), "asset", "materialize", "-m", "orchestration.definitions",
         "--select", "raw/agents", "--partition", DAY], cwd=REPO, capture_output=True,
        text=True, timeout=RUN_TIMEOUT, env={**env, "PARITY_WAREHOUSE": str(target)})
    log = done.stdout + done.stderr
    assert done.returncode != 0 and "RUN_SUCCESS" not in log and "STEP_START" not in log
    assert f"cannot write the warehouse at {target}: {tmp_path / 'blocker'} is not a " \
           "directory" in log


FULL_DISK = r"""
import resource, signal, sys
import dagster as dg
from assets.raw import raw_assets
from orchestration.resources import WarehouseResource

limit = int(sys.argv[2])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
result = dg.materialize(list(raw_assets), partition_key=sys.argv[3], raise_on_error=False,
                        resources={"warehouse": WarehouseResource(database=sys.argv[1])})
failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
error = failure.step_failure_data.error
while error is not None:
    print(error.message.strip())
    error = error.cause
sys.exit(0 if result.success else 3)
"""


def test_a_full_disk_fails_the_load_with_the_path_and_the_cause(small_landing, tmp_path):
    """The file-size limit makes every write past 200 kB fail as a full disk does (EFBIG
    instead of ENOSPC): the load stops with the warehouse path and the cause, not a bare
    DuckDB error."""
    env = cli_env(tmp_path, small_landing, tmp_path / "parity.duckdb")
    target = tmp_path / "parity.duckdb"
    done = subprocess.run([sys.executable, "-c", FULL_DISK, str(target), str(200_000), DAY],
                          cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=RUN_TIMEOUT)
    assert done.returncode == 3, (done.stdout + done.stderr)[-4000:]
    assert f"cannot write the warehouse at {target}: " in done.stdout
    assert "File too large" in done.stdout, done.stdout
