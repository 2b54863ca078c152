-- One row per agent and scheduled minute: the scheduled activity, the actual state at the
-- middle of the minute, whether they match, and whether the minute falls in the grace period
-- after an activity change. Minutes carry their own local date, so a shift that crosses
-- midnight counts on both dates. Incremental: a run rebuilds the dates of its window.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_recompute_window(in_recompute_window('business_date')) }}",
) }}
{%- set grace = number_var('adherence_grace_minutes') %}
with

schedule as (
    select * from {{ ref('stg_wfm__schedule_segments') }}
    where activity not in ('off', 'leave')
        and {{ overlaps_recompute_window('start_at', 'end_at') }}
),

states as (
    select * from {{ ref('stg_wfm__agent_states') }}
    where {{ overlaps_recompute_window('start_at', 'end_at') }}
),

agents as (
    select agent_id, site_timezone from {{ ref('stg_hr__agents') }}
),

scheduled_minutes as (
    select
        agent_id,
        activity,
        start_at,
        unnest(generate_series(start_at, end_at - interval 1 minute, interval 1 minute))
            as minute_start
    from schedule
),

actual_minutes as (
    -- the state in effect at the middle of each minute
    select
        agent_id,
        state,
        unnest(generate_series(
            date_trunc('minute', start_at - interval 30 second)
                + case when start_at - interval 30 second
                            > date_trunc('minute', start_at - interval 30 second)
                       then interval 1 minute else interval 0 minute end,
            end_at - interval 30 second - interval 1 microsecond,
            interval 1 minute)) as minute_start
    from states
    where end_at - interval 30 second > start_at - interval 30 second
),

joined as (
    select
        s.agent_id,
        s.activity,
        a.state,
        s.minute_start,
        s.minute_start < s.start_at + to_minutes({{ grace }}) as is_grace,
        case s.activity
            when 'open' then a.state in ('available', 'on_contact', 'acw')
            else a.state = s.activity
        end as is_matching
    from scheduled_minutes s
    left join actual_minutes a
        on a.agent_id = s.agent_id and a.minute_start = s.minute_start
),

final as (
    select
        joined.*,
        coalesce(is_matching, false) or is_grace as is_adherent,
        cast(timezone(coalesce(agents.site_timezone, '{{ timezone_var('center_timezone') }}'),
                      joined.minute_start) as date) as business_date
    from joined
    left join agents using (agent_id)
)

select * from final
where {{ in_recompute_window('business_date') }}
