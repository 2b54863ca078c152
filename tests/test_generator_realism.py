"""The demo data has the shapes real contact-center data has."""

from __future__ import annotations


def rows(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


def test_handle_time_is_heavy_tailed_and_differs_by_channel(raw):
    shape = {ch: (mean, median, p99) for ch, mean, median, p99 in rows(raw, """
        select channel, avg(handle), median(handle), quantile_cont(handle, 0.99)
        from contacts where not abandoned group by 1""")}
    assert set(shape) == {"voice", "chat", "email"}
    for mean, median, p99 in shape.values():
        assert mean > 1.1 * median and p99 > 3 * median
    assert shape["chat"][1] > shape["voice"][1]


def test_reasons_differ_in_difficulty(raw):
    aht = dict(rows(raw, """select contact_reason, avg(handle) from contacts
                           where not abandoned and channel = 'voice' group by 1"""))
    assert aht["complaint"] > 1.8 * aht["password_reset"]


def test_arrivals_follow_intraday_and_weekday_patterns(raw):
    hourly = dict(rows(raw, "select local_hour, count(*) from contacts "
                            "where channel = 'voice' group by 1"))
    assert hourly[10] > 1.5 * hourly[7] and hourly[10] > 1.5 * hourly[20]
    weekday = dict(rows(raw, "select dayofweek(work_date), count(*) from contacts group by 1"))
    assert 0 not in weekday  # closed on Sundays
    assert weekday[1] > 1.3 * weekday[6]  # Monday busier than Saturday


def test_queue_outcomes_look_like_a_real_center(raw):
    abandon, short, sl = rows(raw, """
        select avg(abandoned::int), avg((abandoned and queue_seconds < 5)::int)
                   / avg(abandoned::int),
               avg((queue_seconds <= 20)::int) filter (where not abandoned)
        from contacts where channel = 'voice' and direction = 'inbound'""")[0]
    assert 0.03 < abandon < 0.15
    assert 0.1 < short < 0.4
    assert 0.6 < sl < 0.95
    transfer = rows(raw, "select avg(transferred::int) from contacts "
                         "where channel = 'voice' and not abandoned")[0][0]
    assert 0.02 < transfer < 0.12


def test_surveys_are_a_biased_minority(raw):
    response = rows(raw, """
        select (select count(*) from surveys) / count(*) filter (where not abandoned)
        from contacts""")[0][0]
    assert 0.03 < response < 0.2
    by_outcome = dict(rows(raw, """
        select r.repeated, avg((s.survey_id is not null)::int)
        from repeats r left join surveys s using (interaction_id) group by 1"""))
    assert by_outcome[True] > 1.2 * by_outcome[False]  # the unhappy answer more often
    scales = rows(raw, "select distinct ces_scale, ces_version from surveys")
    assert scales == [("1-7", "CES2.0")]
    bounds = rows(raw, "select min(csat::int), max(csat::int), min(nps::int), max(nps::int), "
                       "min(ces::int), max(ces::int) from surveys")[0]
    assert bounds[:2] == (1, 5) and bounds[4:] == (1, 7)
    assert 0 <= bounds[2] <= 2 and bounds[3] == 10
    answered = rows(raw, "select count(*) filter (where customer_resolved is null) / count(*) "
                         "from surveys")[0][0]
    assert 0 < answered < 0.3


def test_qa_scorecard_has_sections_weights_criticals_and_na(raw):
    versions = {r[0] for r in rows(raw, "select distinct scorecard_version from qa_evaluations")}
    assert versions == {"v1"} or versions == {"v1", "v2"}
    crit = rows(raw, "select count(*) filter (where critical = 'true' and score = '0'), "
                     "count(*) filter (where not_applicable = 'true') from qa_evaluations")[0]
    assert crit[0] > 0 and crit[1] > 0
    calibrated = rows(raw, """select count(*) from (select interaction_id from qa_evaluations
                             group by 1 having count(distinct evaluator_id) > 1)""")[0][0]
    assert calibrated > 0
    leniency = dict(rows(raw, """
        select evaluator_id, sum(score::int) / sum(max_score::int) from qa_evaluations
        where not_applicable = 'false' group by 1"""))
    assert leniency["QA05"] > leniency["QA01"]


def test_repeat_contacts_exist_within_days(raw):
    rate = rows(raw, "select avg(repeated::int) from repeats")[0][0]
    assert 0.04 < rate < 0.25


def test_customer_pii_appears_in_several_spellings(raw):
    spellings = rows(raw, """select max(n) from (select customer_id, count(distinct customer_phone) n
                            from contacts where customer_phone is not null group by 1)""")[0][0]
    assert spellings >= 2
    assert rows(raw, "select count(*) from surveys where comment like '%@%' "
                     "or comment like '%555%'")[0][0] > 0
