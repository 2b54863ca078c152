"""The Dagster code location: what it defines, and the raw assets run through Dagster."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa
import pytest
from dagster_duckdb import DuckDBResource

from assets.raw import raw_assets
from checks.raw import raw_checks
from orchestration.definitions import defs
from orchestration.partitions import daily
from parity.contract import SOURCES
from parity.summary import render_summary

from .conftest import SMALL

REPO = Path(__file__).resolve().parents[1]
RANGE = dg.PartitionKeyRange(SMALL.start.isoformat(), "2026-01-12")


def test_definitions_snapshot():
    """Every asset key, group and check: a rename shows up here in review."""
    repo = defs.get_repository_def()
    graph = repo.asset_graph
    assets = sorted((k.to_user_string(), graph.get(k).group_name)
                    for k in graph.get_all_asset_keys())
    staging = ["stg_crm__interactions", "stg_hr__agents", "stg_qa__evaluation_items",
               "stg_surveys__responses", "stg_wfm__agent_states", "stg_wfm__schedule_segments"]
    intermediate = ["int_agent_days_workforce", "int_agent_minutes", "int_agent_proficiency",
                    "int_contacts_enriched",
                    "int_contacts_repeat_flagged", "int_metric_parts",
                    "int_qa_evaluations_scored", "int_surveys_joined",
                    "int_team_months_attrition"]
    marts = ["dim_agents", "dim_contact_reasons", "dim_dates", "dim_metrics", "dim_sites",
             "dim_teams", "fct_agent_day_adherence", "fct_contacts", "fct_metric_rollups",
             "fct_metric_values", "fct_qa_evaluations", "fct_survey_responses",
             "time_spine_daily"]
    benchmarks = ["bm_action_log", "bm_actions", "bm_external", "bm_gaps", "bm_history",
                  "bm_peer_percentiles", "bm_periods", "bm_proficiency_cohorts",
                  "bm_qa_calibration", "bm_scope_cells", "bm_scope_estimates", "bm_scores",
                  "bm_signals", "bm_target_progress", "bm_targets"]
    seeds = ["action_catalogue", "guardrails", "industry_references", "metric_catalogue",
             "signal_rules"]
    assert assets == sorted([(f"raw/{s}", "raw") for s in SOURCES]
                            + [(f"staging/{m}", "staging") for m in staging]
                            + [(f"intermediate/{m}", "intermediate") for m in intermediate]
                            + [(f"marts/{m}", "marts") for m in marts]
                            + [(f"benchmarks/{m}", "benchmarks") for m in benchmarks]
                            + [(f"reference/{m}", "reference") for m in seeds]
                            + [("serving/report", "serving"), ("serving/snapshot", "serving")])
    raw_graph_checks = [c for c in graph.asset_check_keys if c.asset_key.path[0] == "raw"]
    checks = sorted(f"{c.asset_key.to_user_string()}:{c.name}" for c in raw_graph_checks)
    dbt_checks = [c for c in graph.asset_check_keys if c.asset_key.path[0] == "staging"]
    assert "unique_stg_crm__interactions_interaction_id" in {c.name for c in dbt_checks}
    upstream = graph.get(dg.AssetKey(["staging", "stg_crm__interactions"])).parent_keys
    assert upstream == {dg.AssetKey(["raw", "crm_interactions"])}
    expected = sorted(
        [f"raw/{s}:rows_reconcile" for s in SOURCES]
        + [f"raw/{s}:no_rejected_files" for s in SOURCES]
        + [f"raw/{s}:known_agents" for s in ("crm_interactions", "qa_evaluations",
                                                 "wfm_schedules", "wfm_agent_states")]
        + [f"raw/{s}:known_interactions" for s in ("qa_evaluations", "surveys")])
    assert checks == expected
    for key in graph.get_all_asset_keys():
        assert graph.get(key).description
    for key in graph.get_all_asset_keys():  # one daily partitioning, raw to marts
        if key.path[0] != "reference":
            assert graph.get(key).partitions_def == daily, key
    gx_checks = sorted(f"{c.asset_key.to_user_string()}:{c.name}"
                       for c in graph.asset_check_keys if c.name.startswith("gx_"))
    assert gx_checks == [
        "benchmarks/bm_peer_percentiles:gx_percentiles_monotone",
        "benchmarks/bm_scores:gx_no_scope_ranked_under_minimum_sample",
        "benchmarks/bm_targets:gx_targets_between_baseline_and_best_peer",
        "marts/fct_metric_rollups:gx_metric_values_in_range",
        "serving/snapshot:gx_row_counts_within_bounds"]
    publish = graph.get(dg.AssetKey(["serving", "snapshot"])).parent_keys
    assert dg.AssetKey(["benchmarks", "bm_targets"]) in publish
    assert dg.AssetKey(["marts", "fct_metric_values"]) in publish
    assert {s.name for s in repo.schedule_defs} == {"nightly_schedule"}
    assert {s.name for s in repo.sensor_defs} == {"landing_sensor", "run_failure_alert"}
    dbt_specs = {spec.name: spec for spec in defs.get_assets_def(
        dg.AssetKey(["marts", "fct_contacts"])).check_specs}
    assert dbt_specs["unique_fct_contacts_interaction_id"].blocking  # severity error blocks
    metric_values = graph.get(dg.AssetKey(["marts", "fct_metric_values"])).description
    assert "| `fcr_repeat` First Contact Resolution (repeat-contact) |" in metric_values


def _run(warehouse: Path, monkeypatch, landing: Path, pii_key: str = "k1"):
    monkeypatch.setenv("PARITY_LANDING_DIR", str(landing))
    monkeypatch.setenv("PARITY_PII_KEY", pii_key)
    return dg.materialize(
        [*raw_assets, *raw_checks],
        resources={"warehouse": DuckDBResource(database=str(warehouse))},
        tags={"dagster/asset_partition_range_start": RANGE.start,
              "dagster/asset_partition_range_end": RANGE.end},
        raise_on_error=False,
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, landing):
    """The small landing folder loaded once through Dagster, shared by this module."""
    warehouse = tmp_path_factory.mktemp("wh") / "wh.duckdb"
    patch = pytest.MonkeyPatch()
    result = _run(warehouse, patch, landing)
    yield result, warehouse
    patch.undo()


def _checks(result) -> dict[str, dg.AssetCheckEvaluation]:
    return {f"{e.asset_key.to_user_string()}:{e.check_name}": e
            for e in result.get_asset_check_evaluations()}


def test_raw_assets_load_every_file_with_nothing_quarantined(loaded, truth):
    result, warehouse = loaded
    assert result.success
    expected = {}
    for f in truth["files"]:
        date = Path(f["path"]).stem.rsplit("_", 1)[1]
        if date <= RANGE.end:
            expected[f["source"]] = expected.get(f["source"], 0) + f["rows"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        got = dict(con.execute("select source, sum(rows_loaded) from ingest.ledger "
                               "where active group by 1").fetchall())
        assert con.execute("select count(*) from ingest.quarantine").fetchone()[0] == 0
        for source in SOURCES:
            n = con.execute(f"select count(*) from raw.{source}").fetchone()[0]
            assert n == expected[source], source
    assert got == expected
    checks = _checks(result)
    assert all(e.passed for e in checks.values()), [k for k, e in checks.items() if not e.passed]
    assert checks["raw/crm_interactions:rows_reconcile"].blocking


def test_materialization_metadata_is_shown(loaded):
    result, _ = loaded
    events = {e.asset_key.to_user_string(): e.materialization.metadata
              for e in result.get_asset_materialization_events()}
    crm = events["raw/crm_interactions"]
    assert crm["rows_loaded"].value > 0 and crm["rows_quarantined"].value == 0
    assert "interaction_id" in crm["preview"].value


def test_clear_pii_never_reaches_the_warehouse(loaded, raw):
    """Every text column of every warehouse table, against every clear PII value landed."""
    _, warehouse = loaded
    clear = set()
    for sql in ("select distinct customer_phone from crm_interactions",
                "select distinct customer_email from crm_interactions",
                "select distinct customer_id from crm_interactions",
                "select distinct agent_name from agents",
                "select distinct comment from surveys"):
        clear |= {v.strip() for (v,) in raw.execute(sql).fetchall() if v and v.strip()}
    assert len(clear) > 1000
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.register("clear_values", pa.table({"v": sorted(clear)}))
        columns = con.execute("""select table_schema, table_name, column_name
            from information_schema.columns where data_type = 'VARCHAR'
            and table_schema in ('raw', 'ingest')""").fetchall()
        assert len(columns) > 20
        for schema, table, column in columns:
            hits = con.execute(
                f'select count(*) from "{schema}"."{table}" t join clear_values c '
                f'on trim(t."{column}") = c.v').fetchone()[0]
            assert hits == 0, f"{schema}.{table}.{column}"
        tokens = con.execute("select count(distinct customer_phone) from raw.crm_interactions"
                             ).fetchone()[0]
    assert tokens > 100  # the column is filled, with pseudonyms


def test_same_person_gets_one_pseudonym_however_spelled(loaded, raw):
    _, warehouse = loaded
    spellings = raw.execute("""
        select customer_id, list(distinct customer_phone) from crm_interactions
        where customer_phone is not null group by 1 having count(distinct customer_phone) > 1
        limit 20""").fetchall()
    assert spellings
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tokens = con.execute("""
            select customer_id, count(distinct customer_phone) from raw.crm_interactions
            where customer_phone is not null group by 1 having count(distinct customer_phone) > 1
        """).fetchall()
    assert tokens == []


def test_rerun_is_a_no_op_and_a_correction_replaces_its_day(tmp_path, monkeypatch, landing):
    work = tmp_path / "landing"
    shutil.copytree(landing, work)
    warehouse = tmp_path / "wh.duckdb"
    assert _run(warehouse, monkeypatch, work).success

    def snapshot():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return (con.execute("select * exclude (_run_id, _loaded_at) from "
                                "raw.crm_interactions order by all").fetchall(),
                    con.execute("select count(*) from ingest.ledger").fetchone()[0])

    before, ledger_rows = snapshot()
    again = _run(warehouse, monkeypatch, work)
    events = {e.asset_key.to_user_string(): e.materialization.metadata
              for e in again.get_asset_materialization_events()}
    assert events["raw/crm_interactions"]["files_unchanged"].value == \
        events["raw/crm_interactions"]["files"].value
    assert snapshot() == (before, ledger_rows)  # same file twice changes nothing

    day = work / "crm_interactions" / "crm_interactions_2026-01-06.csv"
    lines = day.read_text().splitlines()
    day.write_text("\n".join(lines[:-10]) + "\n")  # the corrected file has 10 fewer rows
    _run(warehouse, monkeypatch, work)
    after, _ = snapshot()
    assert len(after) == len(before) - 10
    with duckdb.connect(str(warehouse), read_only=True) as con:
        statuses = con.execute("select status, active from ingest.ledger where file_name = ? "
                               "order by loaded_at", [day.name]).fetchall()
    assert statuses == [("superseded", False), ("loaded", True)]


def test_checks_fail_when_they_should(tmp_path, monkeypatch, landing):
    work = tmp_path / "landing"
    for source in ("agents", "crm_interactions", "surveys"):
        shutil.copytree(landing / source, work / source)
    for roster in (work / "agents").glob("*.csv"):  # an agent missing from the roster
        kept = [line for line in roster.read_text().splitlines() if '"A00001"' not in line]
        roster.write_text("\n".join(kept) + "\n")
    (work / "crm_interactions" / "crm_interactions_2026-01-08.csv").write_text("a;b;c\n1;2;3\n")
    warehouse = tmp_path / "wh.duckdb"
    checks = _checks(_run(warehouse, monkeypatch, work))
    assert not checks["raw/crm_interactions:known_agents"].passed
    assert checks["raw/crm_interactions:known_agents"].severity == dg.AssetCheckSeverity.WARN
    rejected = checks["raw/crm_interactions:no_rejected_files"]
    assert not rejected.passed and "wrong delimiter" in rejected.metadata["errors"].value
    assert checks["raw/crm_interactions:rows_reconcile"].passed

    with duckdb.connect(str(warehouse)) as con:  # tamper: a loaded row goes missing
        con.execute("delete from raw.surveys where _line_number = 2 and "
                    "_source_file = 'surveys_2026-01-06.csv'")
    [reconcile] = [c for c in raw_checks if any(
        k.name == "rows_reconcile" and k.asset_key.path[-1] == "surveys" for k in c.check_keys)]
    evaluation = reconcile(DuckDBResource(database=str(warehouse)))
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert "surveys_2026-01-06.csv" in evaluation.metadata["failing"].value


def test_summary_lists_tables_and_ingestion(loaded):
    _, warehouse = loaded
    text = render_summary(warehouse)
    assert "raw.crm_interactions" in text and "ingest.ledger" in text
    assert "crm_interactions" in text.split("ingestion by source")[1]
    assert str(warehouse) in text


def test_dagster_cli_materializes_everything_like_make_demo(built):
    """The session warehouse was built by the exact command `make materialize` runs."""
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        staged = con.execute("select count(*) from staging.stg_crm__interactions").fetchone()
        loaded = con.execute("select count(*) from raw.crm_interactions").fetchone()
        facts = con.execute("select count(*) from marts.fct_contacts").fetchone()
    assert staged == loaded == facts and loaded[0] > 0
    assert any((built.home / "storage").iterdir())
    summary = subprocess.run([str(Path(sys.executable).parent / "parity"), "summary"],
                             cwd=REPO, env=built.env, capture_output=True, text=True, timeout=60)
    assert summary.returncode == 0 and "raw.crm_interactions" in summary.stdout
    serving = Path(built.env["PARITY_SERVING_DIR"]) / "current"
    assert f"serving copy: {serving / 'parity.duckdb'}" in summary.stdout
    assert f"report:       {serving / 'report.html'}" in summary.stdout
