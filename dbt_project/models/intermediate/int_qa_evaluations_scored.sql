-- One row per QA evaluation: weighted score over applicable items; a failed critical item
-- scores the whole evaluation 0.
with

items as (
    select * from {{ ref('stg_qa__evaluation_items') }}
),

scored as (
    select
        evaluation_id,
        any_value(interaction_id) as interaction_id,
        any_value(agent_id) as agent_id,
        any_value(evaluator_id) as evaluator_id,
        any_value(evaluated_at) as evaluated_at,
        any_value(scorecard_name) as scorecard_name,
        any_value(scorecard_version) as scorecard_version,
        sum(score * weight) filter (where not is_not_applicable) as weighted_points,
        sum(max_score * weight) filter (where not is_not_applicable) as weighted_possible,
        bool_or(is_critical and not is_not_applicable and score < max_score)
            as has_critical_fail,
        count(*) filter (where is_not_applicable) as not_applicable_items
    from items
    group by evaluation_id
),

final as (
    select
        *,
        case
            when has_critical_fail then 0.0
            when weighted_possible > 0 then weighted_points / weighted_possible
        end as qa_score
    from scored
)

select * from final
