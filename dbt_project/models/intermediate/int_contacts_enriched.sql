-- One row per contact leg with its agent's team, site, local business date and tenure band.
with

contacts as (
    select * from {{ ref('stg_crm__interactions') }}
),

agents as (
    select * from {{ ref('stg_hr__agents') }}
),

enriched as (
    select
        contacts.*,
        agents.team_id,
        agents.site_id,
        coalesce(agents.site_timezone, '{{ timezone_var('center_timezone') }}') as business_timezone,
        agents.hire_date
    from contacts
    left join agents on contacts.agent_id = agents.agent_id
),

dated as (
    select
        *,
        cast(timezone(business_timezone, offered_at) as date) as business_date
    from enriched
),

final as (
    select
        *,
        date_diff('day', hire_date, business_date) as tenure_days,
        case
            when hire_date is null then 'unknown'
            when date_diff('day', hire_date, business_date) < 90 then '0-89d'
            when date_diff('day', hire_date, business_date) < 180 then '90-179d'
            when date_diff('day', hire_date, business_date) < 365 then '180-364d'
            else '365d+'
        end as tenure_band
    from dated
)

select * from final
