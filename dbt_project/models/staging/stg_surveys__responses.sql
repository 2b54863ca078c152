with

source as (
    select * from {{ source('raw', 'surveys') }}
),

renamed as (
    select
        survey_id,
        interaction_id,
        responded_at,
        csat,
        nps,
        ces,
        ces_scale,
        ces_version,
        case customer_resolved when 'yes' then true when 'no' then false end
            as is_customer_resolved,
        comment as comment_key,
        _source_file as source_file
    from source
)

select * from renamed
