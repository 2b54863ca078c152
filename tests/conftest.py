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


@pytest.fixture
def con(tmp_path):
    """An empty warehouse file of its own for one test (the ingestion tests load into it)."""
    connection = duckdb.connect(str(tmp_path / "wh.duckdb"))
    yield connection
    connection.close()


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


# Helpers of the fault and concurrent-reader tests --------------------------------------------

LEDGER_RUN_COLUMNS = {("ingest", "ledger"): ("run_id", "loaded_at")}
"""The only published columns a correct rerun may change: which run (re)loaded a file and when.
Every other column of every published table must come out identical."""


def published_differences(left: Path, right: Path,
                          exclude: dict = LEDGER_RUN_COLUMNS) -> dict[str, object]:
    """Every published table (marts, benchmarks, reference, ingest.ledger) of two warehouses
    compared as row multisets over all columns but ``exclude``: {table: (only in left, only in
    right)} for the tables that differ, or a note when the tables or columns themselves do."""
    from parity.ingest.tables import ident
    from parity.serving import PUBLISHED_EXTRA, PUBLISHED_SCHEMAS

    con = duckdb.connect()
    con.execute("attach ? as l (read_only)", [str(left)])
    con.execute("attach ? as r (read_only)", [str(right)])

    def tables(catalog: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
        rows = con.execute(
            "select c.table_schema, c.table_name, c.column_name, c.data_type "
            "from information_schema.columns c join information_schema.tables t "
            "using (table_catalog, table_schema, table_name) "
            "where c.table_catalog = ? and t.table_type = 'BASE TABLE' "
            "order by c.table_schema, c.table_name, c.ordinal_position", [catalog]).fetchall()
        out: dict = {}
        for schema, table, column, kind in rows:
            if schema in PUBLISHED_SCHEMAS or (schema, table) in PUBLISHED_EXTRA:
                out.setdefault((schema, table), []).append((column, kind))
        return out

    found, expected = tables("l"), tables("r")
    if found.keys() != expected.keys():
        return {"tables": (sorted(found.keys() - expected.keys()),
                           sorted(expected.keys() - found.keys()))}
    assert len(found) > 30
    out: dict[str, object] = {}
    for (schema, table), columns in sorted(found.items()):
        name = f"{schema}.{table}"
        if columns != expected[(schema, table)]:
            out[name] = ("columns", columns, expected[(schema, table)])
            continue
        kept = ", ".join(ident(c) for c, _ in columns
                         if c not in exclude.get((schema, table), ()))
        qualified_l = f"l.{ident(schema)}.{ident(table)}"
        qualified_r = f"r.{ident(schema)}.{ident(table)}"
        only_l, only_r = (con.execute(
            f"select count(*) from (select {kept} from {a} except all select {kept} from {b})"
        ).fetchone()[0] for a, b in ((qualified_l, qualified_r), (qualified_r, qualified_l)))
        if only_l or only_r:
            out[name] = (only_l, only_r)
    con.close()
    return out


def assert_current_is_whole(serving: Path) -> Path | None:
    """The snapshot ``current`` points at (None if none): a complete, named snapshot whose
    database holds exactly the rows its manifest lists, table by table."""
    link = serving / "current"
    if not link.exists():
        assert not link.is_symlink(), f"{link} dangles"
        return None
    from parity.serving import qualified

    target = link.resolve()
    assert target.parent == (serving / "snapshots").resolve() and not target.name.startswith(".")
    manifest = json.loads((target / "manifest.json").read_text())
    with duckdb.connect(str(target / "parity.duckdb"), read_only=True) as con:
        tables = con.execute("select schema_name, table_name from duckdb_tables() "
                             "where schema_name <> 'serving'").fetchall()
        counts = {f"{s}.{t}": con.execute(f"select count(*) from {qualified(s, t)}"
                                          ).fetchone()[0] for s, t in tables}
        inside = con.execute("select table_name, row_count, run_id from serving.manifest"
                             ).fetchall()
    assert counts == manifest["tables"] and len(counts) > 30
    assert inside == [(t, n, manifest["run_id"]) for t, n in sorted(counts.items())]
    return target
