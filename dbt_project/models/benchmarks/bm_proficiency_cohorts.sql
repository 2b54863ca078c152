-- Functional benchmark: new hires by hire cohort (calendar month of hire) and channel. How many
-- reached proficiency (int_agent_proficiency) and how fast, their handle time over the review
-- period relative to the tenured agents of the channel (the learning curve: a younger cohort
-- sits higher), and the gap in days to the best cohort (the fastest mean among cohorts with an
-- agent who got there).
with

proficiency as (
    select * from {{ ref('int_agent_proficiency') }}
),

periods as (
    select * from {{ ref('bm_periods') }}
),

review_aht as (
    -- handle time per agent and channel over the review period
    select agent_id, channel, sum(numerator) as handle_seconds, sum(denominator) as handled
    from {{ ref('fct_metric_values') }}
    cross join periods
    where metric_name = 'aht' and business_date between review_start and review_end
    group by agent_id, channel
),

tenured as (
    select r.channel, sum(r.handle_seconds) / sum(r.handled) as tenured_aht
    from review_aht as r
    inner join {{ ref('dim_agents') }} as a using (agent_id)
    cross join periods as p
    where a.hire_date <= {{ dbt.dateadd('day', -365, 'p.review_start') }}
    group by r.channel
),

cohorts as (
    select
        cast({{ dbt.date_trunc('month', 'p.hire_date') }} as date) as hire_cohort,
        p.channel,
        count(*) as new_hires,
        count(p.proficient_on) as reached_proficiency,
        avg(p.days_to_proficiency) as mean_days_to_proficiency,
        sum(r.handle_seconds) / nullif(sum(r.handled), 0) as review_aht
    from proficiency as p
    left join review_aht as r on r.agent_id = p.agent_id and r.channel = p.channel
    group by 1, 2
),

final as (
    select
        c.*,
        c.review_aht / t.tenured_aht as aht_relative_to_tenured,
        min(c.mean_days_to_proficiency) over (partition by c.channel) as best_cohort_days,
        c.mean_days_to_proficiency
            - min(c.mean_days_to_proficiency) over (partition by c.channel)
            as days_behind_best_cohort
    from cohorts as c
    left join tenured as t on t.channel = c.channel
)

select * from final
