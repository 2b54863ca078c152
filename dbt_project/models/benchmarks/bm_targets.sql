-- SMART targets, one row per scope (agent, team), metric and channel with a credible gap to the
-- internal top quartile, set for the period after the review period under the configured policy:
-- close target_close_share of the gap within target_horizon_months, never beyond the best
-- credible peer and never below the baseline; with the guardrail metric, its baseline and
-- tolerance. Incremental: the targets of a start date are written once and kept as history; a
-- later run for the same start date adds nothing, so a target in force never moves mid-period.
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set share = number_var('target_close_share') %}
with

periods as (
    select * from {{ ref('bm_periods') }}
),

gaps as (
    select * from {{ ref('bm_gaps') }}
    where benchmark_kind = 'internal_top_quartile' and is_credible
      and scope_type in ('agent', 'team')
),

peers as (
    select * from {{ ref('bm_peer_percentiles') }}
),

scores as (
    select * from {{ ref('bm_scores') }}
),

guardrails as (
    select * from {{ ref('guardrails') }}
),

proposed as (
    select
        g.scope_type,
        g.scope_id,
        g.metric_name,
        g.channel,
        p.direction,
        g.value as baseline_value,
        g.benchmark_value,
        p.best_credible_value,
        g.value + {{ share }} * (g.benchmark_value - g.value) as uncapped_target
    from gaps as g
    inner join peers as p
        on p.scope_type = g.scope_type and p.peer_group = g.peer_group
        and p.metric_name = g.metric_name and p.channel = g.channel
),

capped as (
    select
        proposed.*,
        case when direction = 'higher'
             then greatest(least(uncapped_target, best_credible_value), baseline_value)
             else least(greatest(uncapped_target, best_credible_value), baseline_value)
        end as target_value
    from proposed
),

final as (
    select
        c.scope_type,
        c.scope_id,
        c.metric_name,
        c.channel,
        c.direction,
        c.baseline_value,
        c.benchmark_value,
        c.best_credible_value,
        c.target_value,
        c.target_value <> c.uncapped_target as is_capped,
        p.target_start as start_date,
        p.target_due as due_date,
        'close {{ (share * 100) | int }}% of the credible gap to the internal top quartile within '
            || '{{ number_var('target_horizon_months') }} months, never beyond the best credible peer, '
            || 'never below the baseline' as policy,
        r.guardrail_metric,
        r.tolerance as guardrail_tolerance,
        gs.shrunk_value as guardrail_baseline,
        p.review_start as baseline_start,
        p.review_end as baseline_end,
        p.as_of as set_on
    from capped as c
    cross join periods as p
    left join guardrails as r on r.metric_name = c.metric_name
    left join scores as gs
        on gs.scope_type = c.scope_type and gs.scope_id = c.scope_id
        and gs.metric_name = r.guardrail_metric
        and (gs.channel = c.channel or gs.channel = 'all' or c.channel = 'all')
)

select * from final
{% if is_incremental() %}
where start_date not in (select start_date from {{ this }})
{% endif %}
