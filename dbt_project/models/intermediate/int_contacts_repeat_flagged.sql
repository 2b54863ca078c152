-- One row per handled inbound case (the legs of a transfer share a case), with repeat-contact
-- FCR flags: a case is a repeat when the same customer contacted about the same reason within
-- the window before it; a first contact is unresolved when such a contact follows it within the
-- window. First contacts whose window has not closed by the end of the data stay provisional.
{%- set window_days = number_var('fcr_window_days') %}
with

legs as (
    select * from {{ ref('int_contacts_enriched') }}
    where is_handled and direction = 'inbound'
),

cases as (
    select
        coalesce(case_id, interaction_id) as case_key,
        arg_min(interaction_id, answered_at) as first_interaction_id,
        arg_min(agent_id, answered_at) as agent_id,
        arg_min(team_id, answered_at) as team_id,
        arg_min(site_id, answered_at) as site_id,
        arg_min(business_date, answered_at) as business_date,
        arg_min(channel, answered_at) as channel,
        arg_min(contact_reason, answered_at) as contact_reason,
        arg_min(priority, answered_at) as priority,
        arg_min(customer_key, answered_at) as customer_key,
        min(offered_at) as offered_at,
        bool_or(is_transferred) as was_transferred
    from legs
    group by 1
),

sequenced as (
    select
        *,
        lag(offered_at) over customer_reason as previous_offered_at,
        lead(offered_at) over customer_reason as next_offered_at
    from cases
    window customer_reason as (partition by customer_key, contact_reason
                               order by offered_at, case_key)  -- ties: a fixed order
),

data_end as (
    select max(offered_at) as last_offered_at from cases
),

final as (
    select
        sequenced.*,
        customer_key is not null
            and previous_offered_at is not null
            and previous_offered_at >= offered_at - to_days({{ window_days }})
            as is_repeat,
        customer_key is not null
            and next_offered_at is not null
            and next_offered_at <= offered_at + to_days({{ window_days }})
            as is_followed_by_repeat,
        offered_at + to_days({{ window_days }}) > data_end.last_offered_at as is_provisional,
        {{ window_days }} as fcr_window_days
    from sequenced
    cross join data_end
)

select * from final
