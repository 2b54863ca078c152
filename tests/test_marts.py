"""The metric marts built by dbt through Dagster, checked against the planted truths."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from parity.summary import render_summary

from .conftest import SMALL


@pytest.fixture(scope="module")
def marts(built):
    """The session warehouse (every partition loaded and every model built), read-only."""
    con = duckdb.connect(str(built.warehouse), read_only=True)
    yield con
    con.close()


def test_every_dbt_test_passed_as_an_asset_check(built):
    """dbt tests arrive in Dagster as asset checks; the build ran them all, none failed."""
    assert "ASSET_CHECK_EVALUATION" in built.output
    assert "Done. PASS=" in built.output and " ERROR=0 " in built.output
    assert '"window_start": "2026-01-05", "window_end": "2026-02-02"' in built.output


def test_metric_values_roll_up_by_summing_parts(marts):
    center, parts = marts.execute("""
        select (select numerator / denominator from marts.fct_metric_rollups
                where metric_name = 'aht' and scope_type = 'center' and period_type = 'month'
                  and channel = 'voice' and period_start = date '2026-01-01'),
               sum(numerator) / sum(denominator)
        from marts.fct_metric_values
        where metric_name = 'aht' and channel = 'voice'
          and business_date between date '2026-01-01' and date '2026-01-31'""").fetchone()
    assert center == pytest.approx(parts, rel=1e-12)
    configs = marts.execute("select distinct metric_config from marts.fct_metric_values"
                            ).fetchall()
    assert configs == [("fcr_window_days=7;service_level_seconds=20;"
                        "email_service_level_seconds=86400;"
                        "service_level_formula=short_abandons_excluded;short_abandon_seconds=5;"
                        "adherence_grace_minutes=2",)]


def test_knowledge_gap_team_has_low_fcr_in_its_reason(marts, truth):
    gap = truth["planted"]["knowledge_gap"]
    peers = truth["planted"]["champion_team"]["peer_teams"]
    fcr = dict(((t, r), v) for t, r, v in marts.execute("""
        select team_id, contact_reason, sum(numerator) / sum(denominator)
        from marts.fct_metric_values where metric_name = 'fcr_repeat'
          and team_id in (select unnest(?)) group by all""", [peers]).fetchall())
    reason, team = gap["contact_reason"], gap["team_id"]
    others = [fcr[(t, reason)] for t in peers if t != team]
    assert fcr[(team, reason)] < min(others) - 0.1


def test_rushing_agent_has_low_aht_and_csat(marts, truth):
    agent = truth["planted"]["rushing_agent"]["agent_id"]
    team = truth["planted"]["rushing_agent"]["team_id"]
    values = {(a, m): v for a, m, v in marts.execute("""
        select scope_id, metric_name, metric_value from marts.fct_metric_rollups
        where scope_type = 'agent' and period_type = 'month' and channel = 'voice'
          and period_start = date '2026-01-01' and metric_name in ('aht', 'csat')
          and scope_id in (select agent_id from staging.stg_hr__agents where team_id = ?)
    """, [team]).fetchall()}
    peers_aht = [v for (a, m), v in values.items() if m == "aht" and a != agent]
    peers_csat = [v for (a, m), v in values.items() if m == "csat" and a != agent]
    assert values[(agent, "aht")] < 0.75 * min(peers_aht)
    assert values[(agent, "csat")] < sorted(peers_csat)[len(peers_csat) // 2] - 0.1


def test_summary_shows_center_values(marts):
    path = marts.execute("select path from duckdb_databases() where database_name = "
                         "current_database()").fetchone()[0]
    text = render_summary(Path(path))
    line = next(ln for ln in text.splitlines() if ln.startswith("fcr_repeat"))
    assert line.count("%") == 3


def test_poor_adherence_site_shows_low_adherence(marts, truth):
    site = truth["planted"]["poor_adherence_site"]["site_id"]
    adherence = dict(marts.execute("""
        select site_id, sum(numerator) / sum(denominator) from marts.fct_metric_values
        where metric_name = 'schedule_adherence' group by 1""").fetchall())
    others = [v for s, v in adherence.items() if s != site]
    assert adherence[site] < min(others) - 0.05
    assert all(0.5 < v <= 1 for v in adherence.values())


def test_dim_metrics_lists_the_whole_catalogue(marts):
    built = marts.execute("select count(*) from marts.dim_metrics").fetchone()[0]
    assert built == 19  # every catalogue metric of the spec


def test_marts_agree_with_an_independent_python_recount(marts, landing):
    """AHT, transfer rate and CSAT of a few agents, recounted from the raw CSV files with the
    standard library only (no SQL shared with dbt), to within 1e-9."""
    import csv
    from collections import defaultdict

    handle, legs, transfers, agent_of = defaultdict(int), defaultdict(int), defaultdict(int), {}
    for path in sorted((landing / "crm_interactions").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle_file:
            for row in csv.DictReader(handle_file):
                if row["abandoned"] == "true":
                    continue
                agent = row["agent_id"]
                agent_of[row["interaction_id"]] = agent
                handle[agent] += (int(row["talk_seconds"]) + int(row["hold_seconds"])
                                  + int(row["acw_seconds"]))
                legs[agent] += 1
                transfers[agent] += row["transferred"] == "true"
    happy, answers = defaultdict(int), defaultdict(int)
    for path in sorted((landing / "surveys").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as survey_file:
            for row in csv.DictReader(survey_file):
                agent = agent_of[row["interaction_id"]]
                answers[agent] += 1
                happy[agent] += int(row["csat"]) >= 4
    agents = sorted(legs)[:: max(1, len(legs) // 6)]
    for agent in agents:
        got = dict(marts.execute("""
            select metric_name, sum(numerator) / sum(denominator) from marts.fct_metric_values
            where agent_id = ? and metric_name in ('aht', 'transfer_rate', 'csat')
            group by 1""", [agent]).fetchall())
        assert abs(got["aht"] - handle[agent] / legs[agent]) < 1e-9
        assert abs(got["transfer_rate"] - transfers[agent] / legs[agent]) < 1e-9
        assert abs(got["csat"] - happy[agent] / answers[agent]) < 1e-9


def test_semantic_layer_gives_the_marts_numbers(marts):
    """`mf query` (MetricFlow over the dbt semantic models) against the marts, by month."""
    import csv
    import os
    import shutil
    import subprocess
    import sys

    path = marts.execute("select path from duckdb_databases() where database_name = "
                         "current_database()").fetchone()[0]
    out = Path(path).with_suffix(".mf.csv")
    # mf opens the warehouse for writing; DuckDB refuses that while this module holds a
    # read-only connection, so it queries a copy (the file is not being written).
    work = Path(path).parent / "mf"
    work.mkdir(exist_ok=True)
    # The prepared manifest names the database after the warehouse file: parity.duckdb.
    copy = work / "parity.duckdb"
    shutil.copy(path, copy)
    repo = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [str(Path(sys.executable).parent / "mf"), "query", "--metrics", "aht,csat,fcr_repeat",
         "--group-by", "metric_time__month", "--csv", str(out)],
        cwd=repo / "dbt_project", env={**os.environ, "PARITY_WAREHOUSE": str(copy)},
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        month = row["metric_time__month"][:10]
        expected = dict(marts.execute("""
            select metric_name, sum(numerator) / sum(denominator) from marts.fct_metric_values
            where date_trunc('month', business_date) = cast(? as date)
              and metric_name in ('aht', 'csat', 'fcr_repeat') group by 1""", [month]).fetchall())
        for metric in ("aht", "csat", "fcr_repeat"):
            assert float(row[metric]) == pytest.approx(expected[metric], rel=1e-9)


def test_attrition_counts_every_leaver_of_the_window(marts, landing):
    import csv

    latest = max((landing / "agents").glob("*.csv"))
    with latest.open(newline="", encoding="utf-8") as handle:
        left = [r for r in csv.DictReader(handle) if r["termination_date"]]
    first = SMALL.start.replace(day=1).isoformat()
    leavers = marts.execute("select sum(numerator) from marts.fct_metric_values "
                            "where metric_name = 'attrition'").fetchone()[0]
    assert leavers == len([r for r in left if r["termination_date"] >= first]) > 0
