-- One row per metric, agent, local business date, channel, contact reason and priority: the
-- numerator and denominator, never a ratio, so every rollup sums them; the sum of squared
-- numerators and the event count give the spread the benchmarks need. Queue metrics of contacts nobody
-- answered carry no agent. The configuration in force is recorded on every row.
-- Incremental: a run rebuilds the dates of its window and the whole-history metrics.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_recompute_window(metric_rows_rebuilt(in_recompute_window('business_date'))) }}",
) }}
with

parts as (
    select * from {{ ref('int_metric_parts') }}
    where {{ metric_rows_rebuilt(in_recompute_window('business_date')) }}
),

final as (
    select
        metric_name,
        business_date,
        agent_id,
        team_id,
        site_id,
        channel,
        contact_reason,
        priority,
        {{ exact_sum("numerator") }} as numerator,
        {{ exact_sum("denominator") }} as denominator,
        {{ exact_sum("numerator * numerator") }} as numerator_sq,
        count(*) as event_count,
        '{{ parity_config_text() }}' as metric_config
    from parts
    group by all
)

select * from final
