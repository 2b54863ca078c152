-- One row per agent and local business date: scheduled, adherent and conforming minutes,
-- shrinkage split, handling and available seconds.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_recompute_window(in_recompute_window('business_date')) }}",
) }}

select
    agent_id,
    business_date,
    cast(scheduled_minutes as bigint) as scheduled_minutes,
    cast(adherent_minutes as bigint) as adherent_minutes,
    cast(conforming_minutes as bigint) as conforming_minutes,
    cast(planned_shrinkage_minutes as bigint) as planned_shrinkage_minutes,
    cast(unplanned_shrinkage_minutes as bigint) as unplanned_shrinkage_minutes,
    cast(handling_seconds as bigint) as handling_seconds,
    cast(available_seconds as bigint) as available_seconds
from {{ ref('int_agent_days_workforce') }}
where {{ in_recompute_window('business_date') }}
