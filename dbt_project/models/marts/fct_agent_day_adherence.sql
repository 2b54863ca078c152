-- One row per agent and local business date: scheduled, adherent and conforming minutes,
-- shrinkage split, handling and available seconds.
select * from {{ ref('int_agent_days_workforce') }}
