"""Shared fixtures: one small generated landing folder per test session, read with DuckDB."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from parity.contract import SOURCES
from parity.generator.run import GenerateOptions, generate

SMALL = GenerateOptions(agents=60, days=28, seed=11)
REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PII_KEY = "session-test-key"


@dataclass(frozen=True)
class Built:
    """A warehouse built from the session landing folder by the Dagster CLI."""

    warehouse: Path
    home: Path
    env: dict
    output: str


def cli_env(tmp: Path, landing: Path, warehouse: Path) -> dict:
    """The environment `make` gives the commands, with a fresh Dagster home under tmp."""
    home = tmp / "dagster_home"
    home.mkdir(exist_ok=True)
    shutil.copy(REPO / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    return {**os.environ, "DAGSTER_HOME": str(home), "PARITY_LANDING_DIR": str(landing),
            "PARITY_WAREHOUSE": str(warehouse), "PARITY_PII_KEY": PII_KEY,
            "PARITY_SERVING_DIR": str(tmp / "serving")}


def materialize(env: dict, *selection: str) -> str:
    """One `dagster asset materialize` run; returns its log, fails the test when it fails."""
    done = subprocess.run([str(BIN / "dagster"), "asset", "materialize", "-m",
                           "orchestration.definitions", "--select", "*", *selection],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    log = done.stderr + done.stdout
    assert done.returncode == 0 and "RUN_SUCCESS" in log, log[-4000:]
    return log


@pytest.fixture(scope="session")
def landing(tmp_path_factory) -> Path:
    """A 60-agent, 28-day landing folder, generated once for the whole session."""
    out = tmp_path_factory.mktemp("landing")
    generate(out, SMALL, progress=False)
    return out


@pytest.fixture(scope="session")
def built(tmp_path_factory, landing) -> Built:
    """The whole small window loaded and every dbt model built, once per session, by the exact
    command `make materialize` runs (a single-run backfill of every partition)."""
    tmp = tmp_path_factory.mktemp("built")
    env = cli_env(tmp, landing, tmp / "parity.duckdb")
    span = subprocess.run([str(BIN / "parity"), "partition-range"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    output = materialize(env, "--partition-range", span.stdout.strip())
    return Built(tmp / "parity.duckdb", Path(env["DAGSTER_HOME"]), env, output)


@pytest.fixture(scope="session")
def truth(landing) -> dict:
    return json.loads((landing / "truth.json").read_text())


@pytest.fixture(scope="session")
def raw(landing):
    """In-memory DuckDB with one all-varchar table per source, named after the source."""
    con = duckdb.connect()
    for source in SOURCES:
        pattern = str(landing / source / "*.csv")
        if source == "agents":  # one snapshot a day: the last one lists everybody
            pattern = str(max((landing / source).glob("*.csv")))
        con.execute(f"create table {source} as select * from "
                    f"read_csv('{pattern}', header = true, all_varchar = true)")
    # Typed helpers used by several tests.
    con.execute("""
        create table contacts as
        select interaction_id, case_id, customer_id, customer_phone, channel, direction, queue,
               contact_reason, agent_id, offered_at::timestamptz as offered,
               answered_at::timestamptz as answered, ended_at::timestamptz as ended,
               substr(offered_at, 12, 2)::int as local_hour,
               substr(coalesce(answered_at, ended_at), 1, 10)::date as work_date,
               queue_seconds::int as queue_seconds, talk_seconds::int as talk,
               hold_seconds::int as hold, acw_seconds::int as acw,
               talk_seconds::int + hold_seconds::int + acw_seconds::int as handle,
               abandoned = 'true' as abandoned, transferred = 'true' as transferred
        from crm_interactions
    """)
    con.execute("""
        create view repeats as
        with handled as (
            select *, lead(offered) over (partition by customer_id, contact_reason
                                          order by offered) as next_offered
            from contacts
            where not abandoned and direction = 'inbound' and customer_id is not null
        )
        select h.*, a.team_id, a.site_id, a.skill,
               coalesce(next_offered <= offered + interval 7 day, false) as repeated
        from handled h join agents a using (agent_id)
        where not transferred
    """)
    yield con
    con.close()
