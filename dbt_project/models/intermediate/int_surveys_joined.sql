-- One row per survey response with the contact it is about.
with

surveys as (
    select * from {{ ref('stg_surveys__responses') }}
),

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

final as (
    select
        surveys.*,
        contacts.agent_id,
        contacts.team_id,
        contacts.site_id,
        contacts.business_date,
        contacts.channel,
        contacts.contact_reason,
        contacts.priority
    from surveys
    inner join contacts on surveys.interaction_id = contacts.interaction_id
)

select * from final
