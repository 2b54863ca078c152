with

source as (
    select * from {{ source('raw', 'crm_interactions') }}
),

renamed as (
    select
        interaction_id,
        case_id,
        customer_id as customer_key,
        channel,
        direction,
        queue,
        contact_reason,
        priority,
        agent_id,
        offered_at,
        answered_at,
        ended_at,
        coalesce(queue_seconds, date_diff('second', offered_at,
                                          coalesce(answered_at, ended_at))) as queue_seconds,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        talk_seconds + hold_seconds + acw_seconds as handle_seconds,
        abandoned as is_abandoned,
        not abandoned as is_handled,
        transferred as is_transferred,
        agent_resolved as is_agent_resolved,
        _business_date as delivered_business_date,
        _source_file as source_file
    from source
)

select * from renamed
