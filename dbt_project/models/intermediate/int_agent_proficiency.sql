-- One row per recent hire and channel: the first day from which the agent's rolling AHT and
-- rolling QA score both stay within the tenured band until the end of the data, and the days
-- from hire to it; null while the agent has not got there. Within the band: rolling AHT at or
-- under the tenured agents' AHT percentile, and rolling QA at or over their QA score at the
-- mirror percentile (1 - p); a day with no evaluation in the QA window is not within the band
-- (quality not shown yet).
{%- set window_days = number_var('proficiency_window_days') %}
{%- set qa_window_days = number_var('proficiency_qa_window_days') %}
{%- set band_percentile = number_var('proficiency_band_percentile') %}
with

contacts as (
    select agent_id, channel, business_date, handle_seconds
    from {{ ref('int_contacts_enriched') }}
    where is_handled
),

evaluations as (
    select
        qa.agent_id,
        c.channel,
        cast(timezone(c.business_timezone, qa.evaluated_at) as date) as business_date,
        qa.qa_score
    from {{ ref('int_qa_evaluations_scored') }} as qa
    inner join {{ ref('int_contacts_enriched') }} as c using (interaction_id)
    where qa.qa_score is not null
),

agents as (
    select agent_id, team_id, site_id, hire_date from {{ ref('stg_hr__agents') }}
),

data_start as (
    select min(business_date) as first_date from contacts
),

daily as (
    select agent_id, channel, business_date, sum(handle_seconds) as handle_seconds,
           count(*) as handled
    from contacts
    group by all
),

tenured_band as (
    -- agent-level AHT of agents with a year of tenure when the data starts
    select daily.channel,
           quantile_cont(sum_handle / sum_handled, {{ band_percentile }}) as band_upper
    from (
        select daily.agent_id, daily.channel, sum(handle_seconds) as sum_handle,
               sum(handled) as sum_handled
        from daily
        inner join agents using (agent_id)
        cross join data_start
        where agents.hire_date <= data_start.first_date - interval 365 day
        group by all
    ) as daily
    group by daily.channel
),

tenured_qa_band as (
    -- agent-level QA score of the same tenured agents, at the mirror percentile
    select scores.channel,
           quantile_cont(scores.mean_score, 1 - {{ band_percentile }}) as band_lower
    from (
        select evaluations.agent_id, evaluations.channel, avg(qa_score) as mean_score
        from evaluations
        inner join agents using (agent_id)
        cross join data_start
        where agents.hire_date <= data_start.first_date - interval 365 day
        group by all
    ) as scores
    group by scores.channel
),

rolling_aht as (
    select
        daily.*,
        sum(handle_seconds) over recent / sum(handled) over recent as rolling_aht
    from daily
    window recent as (partition by agent_id, channel order by business_date
                      range between interval {{ window_days - 1 }} day preceding
                      and current row)
),

rolling as (
    -- the mean QA score of the evaluations in the trailing QA window of each day
    select r.agent_id, r.channel, r.business_date, any_value(r.rolling_aht) as rolling_aht,
           avg(e.qa_score) as rolling_qa
    from rolling_aht as r
    left join evaluations as e
        on e.agent_id = r.agent_id and e.channel = r.channel
        and e.business_date between r.business_date - interval {{ qa_window_days - 1 }} day
                                and r.business_date
    group by r.agent_id, r.channel, r.business_date
),

recent_hires as (
    select agents.*
    from agents cross join data_start
    where agents.hire_date > data_start.first_date - interval 365 day
),

flagged as (
    select
        rolling.*,
        rolling.rolling_aht <= tenured_band.band_upper
            and coalesce(rolling.rolling_qa >= tenured_qa_band.band_lower, false)
            as is_within_band
    from rolling
    inner join recent_hires using (agent_id)
    inner join tenured_band using (channel)
    left join tenured_qa_band using (channel)
),

last_outside as (
    select agent_id, channel,
           max(business_date) filter (where not is_within_band) as last_outside_date
    from flagged
    group by all
),

final as (
    select
        f.agent_id,
        f.channel,
        any_value(h.team_id) as team_id,
        any_value(h.site_id) as site_id,
        any_value(h.hire_date) as hire_date,
        min(f.business_date) filter (
            where f.business_date > coalesce(o.last_outside_date, date '1900-01-01')
        ) as proficient_on
    from flagged f
    inner join last_outside o using (agent_id, channel)
    inner join recent_hires h using (agent_id)
    group by f.agent_id, f.channel
)

select *, date_diff('day', hire_date, proficient_on) as days_to_proficiency
from final
