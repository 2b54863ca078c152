-- One row per recent hire and channel: the first day from which the agent's rolling AHT stays
-- within the tenured band (at or under the tenured agents' AHT percentile) until the end of the
-- data, and the days from hire to it; null while the agent has not got there.
{%- set window_days = var('proficiency_window_days') %}
{%- set band_percentile = var('proficiency_band_percentile') %}
with

contacts as (
    select agent_id, channel, business_date, handle_seconds
    from {{ ref('int_contacts_enriched') }}
    where is_handled
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

rolling as (
    select
        daily.*,
        sum(handle_seconds) over recent / sum(handled) over recent as rolling_aht
    from daily
    window recent as (partition by agent_id, channel order by business_date
                      range between interval {{ window_days - 1 }} day preceding
                      and current row)
),

recent_hires as (
    select agents.*
    from agents cross join data_start
    where agents.hire_date > data_start.first_date - interval 365 day
),

flagged as (
    select rolling.*, rolling.rolling_aht <= tenured_band.band_upper as is_within_band
    from rolling
    inner join recent_hires using (agent_id)
    inner join tenured_band using (channel)
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
