with

source as (
    select * from {{ source('raw', 'qa_evaluations') }}
),

renamed as (
    select
        evaluation_id,
        item,
        interaction_id,
        agent_id,
        evaluator_id,
        evaluated_at,
        scorecard_name,
        scorecard_version,
        section,
        score,
        max_score,
        weight,
        critical as is_critical,
        not_applicable as is_not_applicable,
        _source_file as source_file
    from source
)

select * from renamed
