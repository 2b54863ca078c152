-- One row per QA evaluation with its score.
select * from {{ ref('int_qa_evaluations_scored') }}
