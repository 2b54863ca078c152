"""The planted truths are really in the raw data, and ordinary agents really are ordinary."""

from __future__ import annotations


def rows(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


def test_rushing_agent_is_fast_and_unhappy(raw, truth):
    agent = truth["planted"]["rushing_agent"]["agent_id"]
    team = truth["planted"]["rushing_agent"]["team_id"]
    handle = dict(rows(raw, """
        select c.agent_id, avg(handle) from contacts c join agents a using (agent_id)
        where not abandoned and a.team_id = ? group by 1""", [team]))
    others = sorted(v for k, v in handle.items() if k != agent)
    assert handle[agent] < 0.75 * others[0]
    csat = dict(rows(raw, """
        select c.agent_id = ?, avg((s.csat::int >= 4)::int)
        from surveys s join contacts c using (interaction_id) join agents a using (agent_id)
        where a.team_id = ? group by 1""", [agent, team]))
    assert csat[True] < csat[False] - 0.15


def test_knowledge_gap_concentrates_repeats_in_one_reason(raw, truth):
    gap = truth["planted"]["knowledge_gap"]
    peers = truth["planted"]["champion_team"]["peer_teams"]
    rate = {(team, reason): r for team, reason, r in rows(raw, """
        select team_id, contact_reason, avg(repeated::int) from repeats
        where team_id in (select unnest(?)) group by 1, 2""", [peers])}
    reason, team = gap["contact_reason"], gap["team_id"]
    others = [t for t in peers if t != team]
    assert all(rate[(team, reason)] > 1.7 * rate[(t, reason)] for t in others)
    # The gap is one reason, not a generally weak team.
    other_reasons = {r for (_, r) in rate if r != reason}
    for r in other_reasons:
        assert rate[(team, r)] < 1.6 * max(rate[(t, r)] for t in others)


def test_poor_adherence_site_starts_late_and_overruns(raw, truth):
    site = truth["planted"]["poor_adherence_site"]["site_id"]
    late = dict(rows(raw, """
        with first_sched as (
            select agent_id, substr(start_at, 1, 10) d, min(start_at::timestamptz) s
            from wfm_schedules group by all),
        first_state as (
            select agent_id, substr(start_at, 1, 10) d, min(start_at::timestamptz) s
            from wfm_agent_states group by all)
        select a.site_id = ?, avg(greatest(date_diff('second', f.s, t.s), 0)) / 60
        from first_sched f join first_state t using (agent_id, d) join agents a using (agent_id)
        group by 1""", [site]))
    assert late[True] > 2 * late[False]
    breaks = dict(rows(raw, """
        select a.site_id = ?, avg(date_diff('second', start_at::timestamptz,
                                            end_at::timestamptz)) / 60
        from wfm_agent_states s join agents a using (agent_id)
        where state = 'break' group by 1""", [site]))
    assert breaks[True] > breaks[False] + 2


def test_champion_team_leads_its_peers(raw, truth):
    champion = truth["planted"]["champion_team"]
    repeat_rate = dict(rows(raw, """
        select team_id, avg(repeated::int) from repeats
        where team_id in (select unnest(?)) group by 1""", [champion["peer_teams"]]))
    assert min(repeat_rate, key=repeat_rate.get) == champion["team_id"]
    csat = dict(rows(raw, """
        select a.team_id, avg((s.csat::int >= 4)::int)
        from surveys s join contacts c using (interaction_id) join agents a using (agent_id)
        where a.team_id in (select unnest(?)) group by 1""", [champion["peer_teams"]]))
    assert max(csat, key=csat.get) == champion["team_id"]
    qa = dict(rows(raw, """
        select a.team_id, sum(score::int * weight::int) / sum(max_score::int * weight::int)
        from qa_evaluations q join agents a using (agent_id)
        where not_applicable = 'false' and a.team_id in (select unnest(?)) group by 1""",
                   [champion["peer_teams"]]))
    assert max(qa, key=qa.get) == champion["team_id"]


def test_new_hires_are_slow_and_learn(raw, truth):
    cohorts = truth["planted"]["new_hire_learning_curve"]["cohorts"]
    new_hires = [a for agents in cohorts.values() for a in agents]
    assert len(cohorts) >= 2 and new_hires
    by_band = dict(rows(raw, """
        with x as (
            select c.handle / avg(c.handle) over (partition by c.channel, c.contact_reason)
                       as relative,
                   date_diff('day', a.hire_date::date, c.work_date) as tenure,
                   c.agent_id in (select unnest(?)) as new_hire
            from contacts c join agents a using (agent_id) where not c.abandoned)
        select case when not new_hire then 'tenured' when tenure < 30 then 'first_30'
                    when tenure >= 60 then 'after_60' end, avg(relative)
        from x group by 1""", [new_hires]))
    assert by_band["first_30"] > 1.25 * by_band["tenured"]
    assert by_band["first_30"] > 1.15 * by_band["after_60"]
    assert by_band["after_60"] < 1.15 * by_band["tenured"]


def test_ordinary_agents_are_not_outliers(raw, truth):
    ordinary = truth["planted"]["ordinary_agents"]
    assert len(ordinary) >= 3
    stats = rows(raw, """
        with per_agent as (
            select agent_id, skill, avg(handle) aht from contacts join agents using (agent_id)
            where not abandoned group by all),
        bands as (
            select skill, quantile_cont(aht, 0.05) lo, quantile_cont(aht, 0.95) hi
            from per_agent group by skill)
        select p.agent_id, p.aht between b.lo and b.hi
        from per_agent p join bands b using (skill) where p.agent_id in (select unnest(?))""",
                 [ordinary])
    assert len(stats) == len(ordinary)
    assert all(inside for _, inside in stats)
    planted = {truth["planted"]["rushing_agent"]["agent_id"]}
    planted |= {a for c in truth["planted"]["new_hire_learning_curve"]["cohorts"].values()
                for a in c}
    assert not planted & set(ordinary)
