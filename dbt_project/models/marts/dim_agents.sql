-- One row per agent (latest roster snapshot naming them); the name is a pseudonym.
select
    agent_id,
    agent_name_key,
    team_id,
    site_id,
    supervisor_id,
    skill,
    hire_date,
    termination_date,
    employment_type,
    snapshot_date
from {{ ref('stg_hr__agents') }}
