"""Referential integrity and internal consistency across the six generated extracts."""

from __future__ import annotations


def scalar(con, sql):
    return con.execute(sql).fetchone()[0]


def test_ids_are_unique(raw):
    assert scalar(raw, "select count(*) - count(distinct interaction_id) "
                       "from crm_interactions") == 0
    assert scalar(raw, "select count(*) - count(distinct agent_id) from agents") == 0
    assert scalar(raw, "select count(*) - count(distinct survey_id) from surveys") == 0
    assert scalar(raw, "select count(*) - count(distinct (evaluation_id, item)) "
                       "from qa_evaluations") == 0


def test_every_agent_reference_is_on_the_roster(raw):
    for source in ("crm_interactions", "qa_evaluations", "wfm_schedules", "wfm_agent_states"):
        orphans = scalar(raw, f"select count(*) from {source} s where agent_id is not null "
                              "and agent_id not in (select agent_id from agents)")
        assert orphans == 0, source


def test_feedback_points_at_handled_contacts_of_the_same_agent(raw):
    assert scalar(raw, "select count(*) from surveys where interaction_id not in "
                       "(select interaction_id from contacts where not abandoned)") == 0
    assert scalar(raw, "select count(*) from qa_evaluations q join contacts c "
                       "using (interaction_id) where q.agent_id <> c.agent_id") == 0
    assert scalar(raw, "select count(*) from qa_evaluations where interaction_id not in "
                       "(select interaction_id from contacts)") == 0


def test_contact_timestamps_and_agents_are_consistent(raw):
    assert scalar(raw, "select count(*) from contacts where abandoned and "
                       "(agent_id is not null or answered is not null or handle > 0)") == 0
    assert scalar(raw, "select count(*) from contacts where not abandoned and "
                       "(agent_id is null or answered < offered)") == 0
    assert scalar(raw, "select count(*) from contacts where not abandoned and "
                       "ended <> answered + to_seconds(talk + hold)") == 0
    assert scalar(raw, "select count(*) from contacts where not abandoned and "
                       "queue_seconds <> date_diff('second', offered, answered)") == 0


def test_transfer_legs_share_a_case_and_customer(raw):
    pairs = raw.execute("""
        select count(*), count(*) filter (where a.customer_id = b.customer_id
                                          and a.agent_id <> b.agent_id
                                          and a.contact_reason = b.contact_reason)
        from contacts a join contacts b on a.case_id = b.case_id
                                        and a.interaction_id <> b.interaction_id
        where a.transferred
    """).fetchone()
    assert pairs[0] > 0 and pairs[0] == pairs[1]


def test_no_work_outside_employment(raw):
    assert scalar(raw, """
        select count(*) from contacts c join agents a using (agent_id)
        where c.work_date < a.hire_date::date
           or c.work_date > coalesce(a.termination_date::date, date '9999-12-31')
    """) == 0
    assert scalar(raw, "select count(*) from agents where termination_date is not null") > 0


def test_states_tile_each_agent_day_without_overlap(raw):
    overlaps = scalar(raw, """
        select count(*) from (
            select start_at::timestamptz s, lag(end_at::timestamptz) over
                   (partition by agent_id order by start_at::timestamptz) prev_end
            from wfm_agent_states) where s < prev_end
    """)
    assert overlaps == 0
    assert scalar(raw, "select count(*) from wfm_agent_states "
                       "where end_at::timestamptz <= start_at::timestamptz") == 0


def test_on_contact_time_equals_voice_talk_plus_hold(raw):
    """Voice agents work one contact at a time, so their state log must add up exactly."""
    mismatched = scalar(raw, """
        with states as (
            select agent_id, substr(start_at, 1, 10) d,
                   sum(date_diff('second', start_at::timestamptz, end_at::timestamptz))
                       filter (where state = 'on_contact') on_contact,
                   sum(date_diff('second', start_at::timestamptz, end_at::timestamptz))
                       filter (where state = 'acw') acw
            from wfm_agent_states group by all),
        work as (
            select agent_id, strftime(work_date, '%Y-%m-%d') d,
                   sum(talk + hold) talk_hold, sum(acw) acw
            from contacts where not abandoned and channel = 'voice' group by all)
        select count(*) from work join states using (agent_id, d)
        where work.talk_hold <> states.on_contact
    """)
    assert mismatched == 0


def test_schedules_use_contract_activities(raw):
    activities = {r[0] for r in raw.execute(
        "select distinct activity from wfm_schedules").fetchall()}
    assert {"open", "break", "lunch"} <= activities
    assert activities <= {"open", "break", "lunch", "training", "meeting", "coaching", "off"}
    states = {r[0] for r in raw.execute(
        "select distinct state from wfm_agent_states").fetchall()}
    assert {"available", "on_contact", "acw", "not_ready", "break", "lunch"} <= states
