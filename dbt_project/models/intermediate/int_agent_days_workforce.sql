-- One row per agent and local business date: adherence, conformance, shrinkage (from the
-- scheduled minutes) and occupancy (from the state log).
with

minutes as (
    select * from {{ ref('int_agent_minutes') }}
),

states as (
    select s.*, a.site_timezone
    from {{ ref('stg_wfm__agent_states') }} s
    left join {{ ref('stg_hr__agents') }} a using (agent_id)
),

by_activity as (
    select
        agent_id,
        business_date,
        activity,
        count(*) as scheduled_minutes,
        count(*) filter (where is_matching) as matched_minutes,
        count(*) filter (where is_adherent) as adherent_minutes,
        count(*) filter (where activity = 'open' and not coalesce(is_matching, false))
            as open_unavailable_minutes
    from minutes
    group by all
),

schedule_day as (
    select
        agent_id,
        business_date,
        sum(scheduled_minutes) as scheduled_minutes,
        sum(adherent_minutes) as adherent_minutes,
        sum(matched_minutes) as conforming_minutes,
        sum(scheduled_minutes) filter (where activity <> 'open') as planned_shrinkage_minutes,
        sum(open_unavailable_minutes) as unplanned_shrinkage_minutes
    from by_activity
    group by all
),

state_day as (
    select
        agent_id,
        cast(timezone(coalesce(site_timezone, '{{ timezone_var('center_timezone') }}'), start_at)
             as date) as business_date,
        sum(duration_seconds) filter (where state in ('on_contact', 'acw')) as handling_seconds,
        sum(duration_seconds) filter (where state = 'available') as available_seconds
    from states
    group by all
),

final as (
    select
        coalesce(s.agent_id, t.agent_id) as agent_id,
        coalesce(s.business_date, t.business_date) as business_date,
        coalesce(s.scheduled_minutes, 0) as scheduled_minutes,
        coalesce(s.adherent_minutes, 0) as adherent_minutes,
        coalesce(s.conforming_minutes, 0) as conforming_minutes,
        coalesce(s.planned_shrinkage_minutes, 0) as planned_shrinkage_minutes,
        coalesce(s.unplanned_shrinkage_minutes, 0) as unplanned_shrinkage_minutes,
        coalesce(t.handling_seconds, 0) as handling_seconds,
        coalesce(t.available_seconds, 0) as available_seconds
    from schedule_day s
    full outer join state_day t
        on s.agent_id = t.agent_id and s.business_date = t.business_date
)

select * from final
