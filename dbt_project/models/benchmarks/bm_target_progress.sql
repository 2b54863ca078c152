-- Every target with its progress to date: the scope's value since the target started (raw, not
-- shrunk) against its baseline and target (progress 0 = still at the baseline, 1 = target met),
-- and the guardrail metric's value over the same days against its tolerance.
with

targets as (
    select * from {{ ref('bm_targets') }}
),

since as (
    select scope_type, scope_id, metric_name, channel,
           min(week_start) as first_week,
           sum(numerator) / nullif(sum(denominator), 0) as value_to_date,
           sum(events) as events_to_date
    from {{ ref('bm_scope_cells') }}
    where period_kind = 'since_review'
    group by scope_type, scope_id, metric_name, channel
),

final as (
    select
        t.*,
        s.value_to_date,
        s.events_to_date,
        (s.value_to_date - t.baseline_value) / nullif(t.target_value - t.baseline_value, 0)
            as progress_share,
        g.value_to_date as guardrail_value_to_date,
        case
            when g.value_to_date is null or t.guardrail_baseline is null then null
            when gk.direction = 'higher'
                then g.value_to_date >= t.guardrail_baseline - t.guardrail_tolerance
            else g.value_to_date <= t.guardrail_baseline + t.guardrail_tolerance
        end as is_guardrail_respected
    from targets as t
    left join since as s
        on s.scope_type = t.scope_type and s.scope_id = t.scope_id
        and s.metric_name = t.metric_name and s.channel = t.channel
    left join {{ ref('dim_metrics') }} as gk on gk.metric_name = t.guardrail_metric
    left join since as g
        on g.scope_type = t.scope_type and g.scope_id = t.scope_id
        and g.metric_name = t.guardrail_metric
        and (g.channel = t.channel or t.channel = 'all')
)

select * from final
