-- One row per QA evaluation with its score.
select
    evaluation_id,
    interaction_id,
    agent_id,
    evaluator_id,
    evaluated_at,
    scorecard_name,
    scorecard_version,
    cast(weighted_points as bigint) as weighted_points,
    cast(weighted_possible as bigint) as weighted_possible,
    has_critical_fail,
    not_applicable_items,
    qa_score
from {{ ref('int_qa_evaluations_scored') }}
