"""The daily-partitioned dbt facts: a day built on top of the history equals a full build."""

from __future__ import annotations

import datetime as dt

import subprocess

import duckdb
import pytest

from .conftest import BIN, REPO, SMALL, cli_env, materialize

LAST = SMALL.start + dt.timedelta(days=SMALL.days - 1)
MIDDLE = SMALL.start + dt.timedelta(days=SMALL.days // 2)


def differences(left, right) -> dict[str, tuple[int, int]]:
    """Per published table: rows only in left, rows only in right (multiset, every column)."""
    con = duckdb.connect()
    con.execute("attach ? as l (read_only)", [str(left)])
    con.execute("attach ? as r (read_only)", [str(right)])
    tables = [t for (t,) in con.execute(
        "select table_name from information_schema.tables where table_catalog = 'r' "
        "and table_schema = 'marts' order by 1").fetchall()]
    assert len(tables) >= 13
    out = {}
    for table in tables:
        only_left, only_right = (con.execute(
            f"select count(*) from (select * from {a}.marts.{table} "
            f"except all select * from {b}.marts.{table})").fetchone()[0]
            for a, b in (("l", "r"), ("r", "l")))
        out[table] = (only_left, only_right)
    con.close()
    return out


@pytest.fixture(scope="module")
def incremental(tmp_path_factory, landing):
    """History up to the day before the last, then the last day as its own partition run."""
    tmp = tmp_path_factory.mktemp("incremental")
    env = cli_env(tmp, landing, tmp / "parity.duckdb")
    materialize(env, "--partition-range",
                f"{SMALL.start.isoformat()}...{(LAST - dt.timedelta(days=1)).isoformat()}")
    log = materialize(env, "--partition", LAST.isoformat())
    return tmp / "parity.duckdb", env, log


def test_a_day_on_top_of_the_history_equals_a_full_build(incremental, built):
    warehouse, _, log = incremental
    after = (LAST + dt.timedelta(days=1)).isoformat()
    assert f'"window_start": "{LAST.isoformat()}", "window_end": "{after}"' in log
    diff = differences(warehouse, built.warehouse)
    assert diff == {table: (0, 0) for table in diff}


def test_rerunning_a_past_day_changes_no_published_row(incremental, built):
    warehouse, env, _ = incremental
    history = ("select (select count(*) from marts.fct_metric_values), "
               "(select count(*) from benchmarks.bm_targets), "
               "(select count(*) from benchmarks.bm_action_log)")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        before = con.execute(history).fetchone()
    materialize(env, "--partition", MIDDLE.isoformat())
    diff = differences(warehouse, built.warehouse)
    assert diff == {table: (0, 0) for table in diff}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute(history).fetchone() == before  # no target or action issued twice


def test_a_failing_dbt_test_blocks_the_models_after_it(incremental, built):
    """Known-bad input: a duplicated contact id fails the blocking unique check on staging; the
    run fails and the published facts are left as they were."""
    warehouse, env, _ = incremental
    with duckdb.connect(str(warehouse)) as con:
        before = con.execute("select count(*) from marts.fct_contacts").fetchone()[0]
        con.execute("insert into raw.crm_interactions select * from raw.crm_interactions "
                    "where _business_date = ? limit 1", [LAST - dt.timedelta(days=1)])
        assert con.execute("select count(*) - count(distinct interaction_id) "
                           "from raw.crm_interactions").fetchone()[0] == 1
    done = subprocess.run([str(BIN / "dagster"), "asset", "materialize", "-m",
                           "orchestration.definitions", "--select", "kind:dbt",
                           "--partition", LAST.isoformat()],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    log = done.stdout + done.stderr
    assert done.returncode != 0, log[-6000:]
    assert "FAIL 1 unique_stg_crm__interactions_interaction_id" in log
    assert "SKIP relation marts.fct_contacts" in log
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_contacts").fetchone()[0] == before
