"""Security: identifiers from configuration pass an allow-list before SQL or a path; secrets come
only from the environment (issue 7, part 4).

Every entry point where a name from configuration (mapping YAML, environment, dbt vars, the
metric catalogue, the warehouse catalog) can reach SQL or a path is fed a malicious name and must
refuse it with an error that says what was wrong, before anything is executed.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from parity import semantic, serving, settings
from parity.contract import SOURCES
from parity.ingest.files import LandedFile, date_in_name, landed_files
from parity.ingest.loader import load_file
from parity.ingest.mapping import MappingError, parse_mapping
from parity.ingest.pii import DEVELOPMENT_KEY, KEY_ENV, Pseudonymizer, country_code
from parity.ingest.tables import ident, raw_table
from parity.summary import table_counts

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
INJECTION = 'x"; drop table raw.agents; --'
TRAVERSAL = "../../etc"
MALICIOUS = [INJECTION, TRAVERSAL, "agents; --", "Agents", "1agents", "", "raw.agents",
             "a" * 10 + "'"]


def _tables(con) -> set[str]:
    return {f"{s}.{t}" for s, t in con.execute(
        "select table_schema, table_name from information_schema.tables").fetchall()}


# --- the allow-list itself -----------------------------------------------------------------------

@pytest.mark.parametrize("name", MALICIOUS)
def test_ident_and_raw_table_refuse_unexpected_names(name):
    with pytest.raises(ValueError, match="refusing unexpected identifier"):
        ident(name)
    with pytest.raises(ValueError, match="unknown source"):
        raw_table(name)
    assert all(ident(s) == f'"{s}"' for s in SOURCES)


def test_ident_refuses_a_trailing_newline():
    with pytest.raises(ValueError, match="refusing unexpected identifier"):
        ident("agents\n")


# --- mappings (YAML written by users) ------------------------------------------------------------

AGENTS_FIELDS = """
fields:
  agent_id: {from: agent_id}
  team_id: {from: team_id}
  site_id: {from: site_id}
  hire_date: {from: hire_date}
  employment_type: {from: employment_type}
"""


@pytest.mark.parametrize("source, text, message", [
    (INJECTION, AGENTS_FIELDS, "unknown source"),
    (TRAVERSAL, AGENTS_FIELDS, "unknown source"),
    ("agents", f"{AGENTS_FIELDS}  '{INJECTION}': {{from: agent_id}}\n",
     "fields not in the agents contract"),
    ("agents", f"{AGENTS_FIELDS}file: {{business_date_from: '{TRAVERSAL}'}}\n",
     "business_date_from must name a mapped field"),
    ("agents", f"timezone: '{TRAVERSAL}'\n{AGENTS_FIELDS}", "unknown timezone"),
    ("agents", f"timezone: '{INJECTION}'\n{AGENTS_FIELDS}", "unknown timezone"),
    ("agents", f"{AGENTS_FIELDS}  termination_date: {{derive: '{INJECTION} + x'}}\n", "derive"),
])
def test_mapping_refuses_malicious_names(source, text, message):
    with pytest.raises(MappingError, match=message):
        parse_mapping(text, source, "agents.yaml")


def test_mapping_column_names_stay_data_never_sql(tmp_path):
    """A source column is only ever a polars column name: one named like an injection loads,
    hashed, and the warehouse is intact."""
    mapping = parse_mapping(f"{AGENTS_FIELDS}  agent_name: {{from: '{INJECTION}'}}\n", "agents")
    path = tmp_path / "agents" / "agents_2026-01-05.csv"
    path.parent.mkdir()
    quoted = '"' + INJECTION.replace('"', '""') + '"'
    path.write_text(f"agent_id,{quoted},team_id,site_id,hire_date,employment_type\n"
                    "A00001,Ana Patel,T01,S1,2020-01-01,full_time\n", encoding="utf-8")
    key = Pseudonymizer(b"mapping-test-key")
    with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:
        result = load_file(con, LandedFile("agents", path, dt.date(2026, 1, 5)), mapping,
                           "run-1", key)
        assert (result.status, result.rows_loaded) == ("loaded", 1)
        assert "raw.agents" in _tables(con)
        assert con.execute("select agent_name from raw.agents").fetchall() == [
            (key.token("agent_name", "Ana Patel"),)]


def test_mapping_file_patterns_never_leave_the_source_folder(tmp_path):
    (tmp_path / "agents").mkdir()
    (tmp_path / "agents" / "agents_2026-01-05.csv").write_text("agent_id\n")
    (tmp_path / "outside_2026-01-05.csv").write_text("agent_id\n")
    mapping = parse_mapping(f"{AGENTS_FIELDS}file: {{patterns: ['../*', '{TRAVERSAL}/*', "
                            "'/etc/*', '*.csv']}\n", "agents")
    found = landed_files(tmp_path, "agents", mapping)
    assert [f.path.name for f in found] == ["agents_2026-01-05.csv"]
    assert landed_files(tmp_path, TRAVERSAL, mapping) == []  # no such source folder


# --- names read from a warehouse catalog ---------------------------------------------------------

@pytest.fixture
def poisoned(tmp_path) -> duckdb.DuckDBPyConnection:
    """A warehouse where someone created published tables with hostile names."""
    con = duckdb.connect(str(tmp_path / "poisoned.duckdb"))
    con.execute("create schema raw")
    con.execute("create table raw.agents (agent_id varchar)")
    con.execute("create schema marts")
    con.execute('create table marts."x""; drop table raw.agents; --" (a int)')
    con.execute('create table marts."../../etc" (a int)')
    yield con
    con.close()


def test_serving_snapshot_refuses_hostile_table_names(poisoned, tmp_path):
    folder = tmp_path / "serving" / "data"
    with pytest.raises(ValueError, match="refusing unexpected identifier"):
        serving.write_snapshot(poisoned, folder, "run-12345678")
    assert serving.current(folder) is None  # nothing published
    assert not list(tmp_path.rglob("etc*")), "a file was written from a hostile name"
    assert "raw.agents" in _tables(poisoned)


def test_summary_refuses_hostile_table_names(poisoned, tmp_path):
    poisoned.close()
    with pytest.raises(ValueError, match="refusing unexpected identifier"):
        table_counts(tmp_path / "poisoned.duckdb")


# --- the metric catalogue ------------------------------------------------------------------------

def test_semantic_layer_refuses_a_hostile_metric_name(monkeypatch):
    assert semantic.semantic_yaml()["metrics"]  # the shipped catalogue passes
    row = {"metric_name": "aht'; drop table raw.agents; --", "scale": "1", "label": "AHT",
           "definition": "handle time"}
    monkeypatch.setattr(semantic, "metrics", lambda: (row,))
    with pytest.raises(ValueError, match="metric_catalogue.csv: metric_name"):
        semantic.semantic_yaml()


# --- the environment -----------------------------------------------------------------------------

@pytest.mark.parametrize("env, read, message", [
    (settings.PARTITIONS_START_ENV, settings.partitions_start, "must be a date YYYY-MM-DD"),
    (settings.SCHEDULE_TZ_ENV, settings.schedule_timezone, "must be an IANA timezone"),
    ("PARITY_PHONE_COUNTRY_CODE", country_code, "country calling code"),
    (settings.AUTOMATION_ENV, settings.automation_default, "must be 'running' or 'stopped'"),
    (settings.LOOKBACK_ENV, settings.lookback_days, "whole number"),
])
@pytest.mark.parametrize("value", [INJECTION, TRAVERSAL, "/etc/passwd"])
def test_settings_refuse_malicious_values(monkeypatch, env, read, message, value):
    monkeypatch.setenv(env, value)
    with pytest.raises(ValueError, match=message):
        read()


def test_settings_accept_ordinary_values(monkeypatch):
    monkeypatch.setenv(settings.PARTITIONS_START_ENV, "2026-01-05")
    monkeypatch.setenv(settings.SCHEDULE_TZ_ENV, "Europe/Paris")
    monkeypatch.setenv("PARITY_PHONE_COUNTRY_CODE", "44")
    assert (settings.partitions_start(), settings.schedule_timezone(), country_code()) == (
        "2026-01-05", "Europe/Paris", "44")


def test_pseudonymizer_refuses_an_unexpected_kind():
    with pytest.raises(ValueError, match="refusing unexpected PII kind"):
        Pseudonymizer(b"k").sql("x'); drop table raw.agents; --", '"agent_name"')


# --- dbt vars ------------------------------------------------------------------------------------

def _dbt_compile(tmp_path: Path, select: str, variables: str) -> subprocess.CompletedProcess:
    """``dbt compile`` with its target and logs under tmp_path (never the shared target/)."""
    env = {**os.environ, "PARITY_WAREHOUSE": str(tmp_path / "wh.duckdb")}
    return subprocess.run(
        [str(BIN / "dbt"), "compile", "--profiles-dir", ".", "--target-path",
         str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"), "--select", select,
         "--vars", variables], cwd=REPO / "dbt_project", env=env, capture_output=True,
        text=True, timeout=300)


def test_dbt_refuses_a_malicious_partition_window(tmp_path):
    done = _dbt_compile(tmp_path, "fct_contacts", '{"window_start": "x\\"; drop table raw.agents;'
                        ' --", "window_end": "2026-01-02"}')
    assert done.returncode != 0
    assert "window_start must be an ISO date YYYY-MM-DD" in done.stdout


def test_dbt_refuses_a_malicious_reference_industry(tmp_path):
    done = _dbt_compile(tmp_path, "bm_external",
                        '{"reference_industry": "x\'); drop table raw.agents; --"}')
    assert done.returncode != 0 and "reference_industry" in done.stdout


# --- secrets only from the environment -----------------------------------------------------------

@pytest.mark.parametrize("value", [None, ""])
def test_missing_key_warns_and_is_recognisable(monkeypatch, caplog, value):
    if value is None:
        monkeypatch.delenv(KEY_ENV, raising=False)
    else:
        monkeypatch.setenv(KEY_ENV, value)
    with caplog.at_level(logging.WARNING, logger="parity.ingest.pii"):
        p = Pseudonymizer()
    assert p.development and "DEVELOPMENT key" in caplog.text
    # The ledger records this id for every file it pseudonymized: documented, so an operator
    # can find data hashed with the public key.
    assert p.key_id in (REPO / "docs" / "security.md").read_text()
    assert b"NOT-SECRET" in DEVELOPMENT_KEY


def test_key_id_reveals_nothing_of_the_key(monkeypatch):
    monkeypatch.setenv(KEY_ENV, "a-distinctive-secret-0123456789")
    p = Pseudonymizer()
    assert not p.development and len(p.key_id) == 12
    secret = os.environ[KEY_ENV]
    assert p.key_id not in (secret, secret.encode().hex()) and p.key_id not in secret
    assert secret not in repr(p) and secret not in str(vars(p))


def test_no_configuration_file_holds_the_key():
    """The key is read from the environment, in one place; no shipped file sets it."""
    for name in ("Makefile", "orchestration/dagster.yaml", "workspace.yaml", "pyproject.toml",
                 "dbt_project/profiles.yml", "dbt_project/dbt_project.yml"):
        assert KEY_ENV not in (REPO / name).read_text(), name
    # The benchmark harness (parity/bench) sets a fixed key for its own runs on generated data.
    readers = [p.relative_to(REPO).as_posix()
               for folder in ("parity", "assets", "orchestration", "checks")
               for p in (REPO / folder).rglob("*.py")
               if KEY_ENV in p.read_text() and "bench" not in p.relative_to(REPO).parts[1]]
    assert readers == ["parity/ingest/pii.py"]


@pytest.fixture(scope="module")
def development_run(landing, tmp_path_factory):
    """The roster of one day loaded by the Dagster CLI with PARITY_PII_KEY unset."""
    from tests.conftest import cli_env

    tmp = tmp_path_factory.mktemp("devkey")
    env = cli_env(tmp, landing, tmp / "wh.duckdb")
    env.pop(KEY_ENV)
    day = min(date_in_name(p.name) for p in (landing / "agents").glob("*.csv"))
    done = subprocess.run([str(BIN / "dagster"), "asset", "materialize", "-m",
                           "orchestration.definitions", "--select", "raw/agents",
                           "--partition", day.isoformat()], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return tmp, done.stdout + done.stderr


def test_development_key_is_never_silent_in_a_run(development_run):
    tmp, output = development_run
    assert "DEVELOPMENT key" in output
    compute_logs = [p.read_text() for p in (tmp / "dagster_home").rglob("compute_logs/*.err")]
    assert any("DEVELOPMENT key" in text for text in compute_logs)  # the UI's stderr tab
    with duckdb.connect(str(tmp / "wh.duckdb"), read_only=True) as con:
        ids = {r[0] for r in con.execute(
            "select distinct pii_key_id from ingest.ledger").fetchall()}
    assert ids == {Pseudonymizer(DEVELOPMENT_KEY).key_id}


def test_development_key_warning_is_a_run_event(development_run):
    from dagster import DagsterInstance

    tmp, _ = development_run
    with DagsterInstance.from_config(str(tmp / "dagster_home")) as instance:
        (run,) = instance.get_runs()
        warnings = [e.user_message for e in instance.all_logs(run.run_id)
                    if e.level == logging.WARNING]
    assert any("DEVELOPMENT key" in m for m in warnings)

