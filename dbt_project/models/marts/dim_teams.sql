-- One row per team, with its site and supervisor (from the latest roster).
select
    team_id,
    any_value(team_name) as team_name,
    any_value(site_id) as site_id,
    any_value(supervisor_id) as supervisor_id,
    count(*) filter (where termination_date is null) as active_agents
from {{ ref('stg_hr__agents') }}
group by team_id
