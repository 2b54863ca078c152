-- Functional benchmark of QA calibration: on contacts scored by more than one evaluator (the
-- calibration panel), each evaluator's deviation from the panel mean, per scorecard version. A
-- lenient evaluator sits above zero, a severe one below; |mean deviation| ranks them.
with

evaluations as (
    select * from {{ ref('fct_qa_evaluations') }} where qa_score is not null
),

panels as (
    select interaction_id, scorecard_version, avg(qa_score) as panel_score,
           count(*) as panel_size
    from evaluations
    group by interaction_id, scorecard_version
    having count(distinct evaluator_id) > 1
),

deviations as (
    select e.evaluator_id, e.scorecard_version, e.qa_score - p.panel_score as deviation
    from evaluations as e
    inner join panels as p
        on p.interaction_id = e.interaction_id and p.scorecard_version = e.scorecard_version
),

final as (
    select
        evaluator_id,
        scorecard_version,
        count(*) as calibration_evaluations,
        avg(deviation) as mean_deviation,
        avg(abs(deviation)) as mean_absolute_deviation,
        rank() over (partition by scorecard_version order by avg(abs(deviation))) as calibration_rank
    from deviations
    group by evaluator_id, scorecard_version
)

select * from final
