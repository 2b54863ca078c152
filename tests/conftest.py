"""Shared fixtures: one small generated landing folder per test session, read with DuckDB."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from parity.contract import SOURCES
from parity.generator.run import GenerateOptions, generate

SMALL = GenerateOptions(agents=60, days=28, seed=11)


@pytest.fixture(scope="session")
def landing(tmp_path_factory) -> Path:
    """A 60-agent, 28-day landing folder, generated once for the whole session."""
    out = tmp_path_factory.mktemp("landing")
    generate(out, SMALL, progress=False)
    return out


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
