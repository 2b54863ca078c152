-- One row per contact leg: the published contact fact, rebuilt by date window.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_recompute_window(in_recompute_window('business_date')) }}",
) }}

select
    interaction_id,
    case_id,
    customer_key,
    business_date,
    agent_id,
    team_id,
    site_id,
    tenure_band,
    channel,
    direction,
    queue,
    contact_reason,
    priority,
    offered_at,
    answered_at,
    ended_at,
    queue_seconds,
    talk_seconds,
    hold_seconds,
    acw_seconds,
    handle_seconds,
    is_abandoned,
    is_handled,
    is_transferred,
    is_agent_resolved
from {{ ref('int_contacts_enriched') }}
where {{ in_recompute_window('business_date') }}
