-- The roster as of the latest snapshot: one row per agent ever listed.
with

source as (
    select * from {{ source('raw', 'agents') }}
),

latest as (
    select *
    from source
    qualify row_number() over (partition by agent_id order by _business_date desc) = 1
),

renamed as (
    select
        agent_id,
        agent_name as agent_name_key,
        team_id,
        team_name,
        site_id,
        site_name,
        coalesce(site_timezone, '{{ timezone_var('center_timezone') }}') as site_timezone,
        supervisor_id,
        skill,
        hire_date,
        termination_date,
        employment_type,
        _business_date as snapshot_date
    from latest
)

select * from renamed
