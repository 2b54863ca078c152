"""The daily-partitioned dbt facts: a day built on top of the history equals a full build."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from .conftest import SMALL, cli_env, materialize

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
    with duckdb.connect(str(warehouse), read_only=True) as con:
        before = con.execute("select count(*) from marts.fct_metric_values").fetchone()[0]
    materialize(env, "--partition", MIDDLE.isoformat())
    diff = differences(warehouse, built.warehouse)
    assert diff == {table: (0, 0) for table in diff}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_metric_values").fetchone()[0] == before
