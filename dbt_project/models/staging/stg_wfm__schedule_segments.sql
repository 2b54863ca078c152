with

source as (
    select * from {{ source('raw', 'wfm_schedules') }}
),

renamed as (
    select
        agent_id,
        activity,
        start_at,
        end_at,
        date_diff('second', start_at, end_at) as duration_seconds,
        _source_file as source_file
    from source
)

select * from renamed
