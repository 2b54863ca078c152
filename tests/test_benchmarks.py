"""The benchmark layer on the session warehouse: every planted truth found, nobody ordinary
flagged, external figures sourced, and the shrinkage recomputed independently."""

from __future__ import annotations

import math
from collections import defaultdict

import duckdb
import pytest


@pytest.fixture(scope="module")
def bench(built):
    con = duckdb.connect(str(built.warehouse), read_only=True)
    yield con
    con.close()


def test_the_knowledge_gap_team_and_its_reason_are_found(bench, truth):
    gap = truth["planted"]["knowledge_gap"]
    rows = bench.execute("select scope_type, scope_id, contact_reason from benchmarks.bm_signals "
                         "where signal = 'knowledge_gap'").fetchall()
    assert rows == [("team", gap["team_id"], gap["contact_reason"])]
    concentrates = bench.execute("""
        select concentrates_in from benchmarks.bm_gaps
        where scope_type = 'team' and scope_id = ? and metric_name = 'fcr_repeat'
          and benchmark_kind = 'internal_top_quartile'""", [gap["team_id"]]).fetchone()
    assert concentrates == (gap["contact_reason"],)


def test_the_rushing_agent_is_found(bench, truth):
    agent = truth["planted"]["rushing_agent"]["agent_id"]
    evidence = bench.execute("select evidence from benchmarks.bm_signals where signal = 'rushing'"
                             " and scope_type = 'agent' and scope_id = ?", [agent]).fetchone()
    assert evidence and "aht" in evidence[0] and "csat" in evidence[0]


def test_the_poor_adherence_site_is_the_only_site_with_a_credible_adherence_gap(bench, truth):
    site = truth["planted"]["poor_adherence_site"]["site_id"]
    credible = bench.execute("""
        select scope_id from benchmarks.bm_gaps
        where scope_type = 'site' and metric_name = 'schedule_adherence' and is_credible
          and benchmark_kind = 'internal_top_quartile'""").fetchall()
    assert credible == [(site,)]


def test_the_champion_team_is_an_internal_champion(bench, truth):
    champion = truth["planted"]["champion_team"]
    teams = bench.execute("""
        select metric_name, list(scope_id order by scope_id) from benchmarks.bm_scores
        where scope_type = 'team' and is_champion and metric_name in ('fcr_repeat', 'csat')
        group by 1""").fetchall()
    assert dict(teams) == {"fcr_repeat": [champion["team_id"]], "csat": [champion["team_id"]]}


def test_the_new_hire_learning_curve_shows_by_cohort(bench, truth):
    """Newer hire cohorts are slower against the tenured agents (pooled over channels)."""
    rows = bench.execute("""
        select hire_cohort, sum(aht_relative_to_tenured * new_hires) / sum(new_hires)
        from benchmarks.bm_proficiency_cohorts where aht_relative_to_tenured is not null
        group by 1 order by 1""").fetchall()
    planted = {c[:7] for c in truth["planted"]["new_hire_learning_curve"]["cohorts"]}
    assert {str(cohort)[:7] for cohort, _ in rows} == planted
    relative = [value for _, value in rows]
    assert all(value > 1.05 for value in relative)
    assert relative[-1] == max(relative) and relative[0] == min(relative)


def test_no_ordinary_agent_is_flagged_or_called_a_champion(bench, truth):
    ordinary = truth["planted"]["ordinary_agents"]
    assert ordinary
    flagged = bench.execute("select scope_id, signal from benchmarks.bm_signals where "
                            "scope_type = 'agent' and scope_id in (select unnest(?))",
                            [ordinary]).fetchall()
    champions = bench.execute("select scope_id, metric_name from benchmarks.bm_scores where "
                              "scope_type = 'agent' and is_champion and scope_id in "
                              "(select unnest(?))", [ordinary]).fetchall()
    assert flagged == [] and champions == []
    # the scopes exist and are ranked: the test is not empty by construction
    ranked = bench.execute("select count(distinct scope_id) from benchmarks.bm_scores where "
                           "scope_type = 'agent' and is_rankable and scope_id in "
                           "(select unnest(?))", [ordinary]).fetchone()[0]
    assert ranked == len(ordinary)


def test_external_comparisons_name_their_sources_and_never_mix_fcr_families(bench):
    rows = bench.execute("""
        select reference_id, metric_name, is_compared, source, publication_year, is_stale,
               parity_value
        from benchmarks.bm_external""").fetchall()
    compared = [r for r in rows if r[2]]
    assert compared and all(r[3] and r[6] is not None for r in compared)
    assert all(r[5] == (r[4] is None or r[4] < 2021) for r in rows)
    assert not [r for r in compared if r[1] == "fcr_repeat"]
    assert [r for r in rows if r[1] == "fcr_repeat" and not r[2]]  # listed, not compared
    assert [r for r in compared if r[1] == "fcr_survey"]


def test_targets_follow_the_policy(bench):
    rows = bench.execute("""
        select direction, baseline_value, benchmark_value, best_credible_value, target_value,
               start_date, due_date
        from benchmarks.bm_targets""").fetchall()
    assert len(rows) > 10
    for direction, baseline, benchmark, best, target, start, due in rows:
        sign = 1 if direction == "higher" else -1
        half_way = baseline + 0.5 * (benchmark - baseline)
        expected = max(min(sign * half_way, sign * best), sign * baseline) * sign
        assert target == pytest.approx(expected, abs=1e-12)
        assert (due.year - start.year) * 12 + due.month - start.month == 6


def test_shrinkage_recomputed_independently(bench):
    """CSAT of the agents of one peer group over the review period, from fct_metric_values:
    case-mix expected values, O/E, the beta-binomial prior by the method of moments and the
    shrunk value, in plain Python, against bm_scores to within 1e-9."""
    start, end = bench.execute("select review_start, review_end from benchmarks.bm_periods"
                               ).fetchone()
    rows = bench.execute("""
        select v.agent_id, v.contact_reason, coalesce(v.priority, 'all'), a.skill,
               sum(v.numerator), sum(v.denominator), sum(v.event_count)
        from marts.fct_metric_values v join marts.dim_agents a using (agent_id)
        where v.metric_name = 'csat' and v.channel = 'voice'
          and v.business_date between ? and ?
        group by all""", [start, end]).fetchall()
    skill = "voice_general"
    cells = [r for r in rows if r[3] == skill]
    cell_num, cell_den = defaultdict(float), defaultdict(float)
    agent_num, agent_den, agent_events = defaultdict(float), defaultdict(float), defaultdict(int)
    for agent, reason, priority, _, num, den, events in cells:
        cell_num[reason, priority] += num
        cell_den[reason, priority] += den
        agent_num[agent] += num
        agent_den[agent] += den
        agent_events[agent] += events
    peer = sum(cell_num.values()) / sum(cell_den.values())
    expected = defaultdict(float)
    for agent, reason, priority, _, num, den, events in cells:
        expected[agent] += den * cell_num[reason, priority] / cell_den[reason, priority]
    adjusted = {a: agent_num[a] / expected[a] * peer for a in agent_num}
    rankable = [a for a in adjusted if agent_events[a] >= 25]
    m = sum(adjusted[a] for a in rankable) / len(rankable)
    between = sum((adjusted[a] - m) ** 2 for a in rankable) / (len(rankable) - 1)
    sampling = sum(min(max(adjusted[a], 0), 1) * (1 - min(max(adjusted[a], 0), 1))
                   / agent_events[a] for a in rankable) / len(rankable)
    tau2 = max(between - sampling, 1e-6 * max(m * m, 1e-6))
    strength = min(max(m * (1 - m) / tau2 - 1, 1), 1e6)
    got = dict(((a, (s, lo, hi)) for a, s, lo, hi in bench.execute("""
        select scope_id, shrunk_value, interval_low, interval_high from benchmarks.bm_scores
        where scope_type = 'agent' and metric_name = 'csat' and channel = 'voice'
          and peer_group = ?""", [f"voice/{skill}"]).fetchall()))
    assert set(got) == set(adjusted) and len(got) >= 10
    for agent in sorted(adjusted):
        n = agent_events[agent]
        shrunk = (min(max(adjusted[agent], 0), 1) * n + m * strength) / (n + strength)
        sd = math.sqrt(shrunk * (1 - shrunk) / (n + strength + 1))
        assert got[agent][0] == pytest.approx(shrunk, abs=1e-9)
        assert got[agent][1] == pytest.approx(shrunk - 1.96 * sd, abs=1e-9)
        assert got[agent][2] == pytest.approx(shrunk + 1.96 * sd, abs=1e-9)


def test_summary_prints_signals_champions_gaps_and_targets(built, truth):
    from parity.summary import render_summary

    text = render_summary(built.warehouse)
    lines = text.splitlines()
    head = lines.index(next(line for line in lines if line.startswith("Site scorecard")))
    adherence = lines[head + 1].split().index("adherence")
    sites = {line.split()[0]: line.split()[adherence] for line in lines[head + 2:head + 5]}
    poor = truth["planted"]["poor_adherence_site"]["site_id"]
    assert [site for site, cell in sites.items() if cell.endswith("*")] == [poor]
    assert "New-hire cohorts" in text
    assert "Signals found" in text and "knowledge_gap" in text and "rushing" in text
    assert "Internal champions" in text and "team T01" in text
    assert "Top credible gaps" in text and "Targets set:" in text and "Open actions:" in text
