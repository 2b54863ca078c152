-- One row per survey response, attributed to the contact's agent and date.
select
    survey_id,
    interaction_id,
    responded_at,
    business_date,
    agent_id,
    team_id,
    site_id,
    channel,
    contact_reason,
    csat,
    nps,
    ces,
    ces_scale,
    ces_version,
    is_customer_resolved
from {{ ref('int_surveys_joined') }}
