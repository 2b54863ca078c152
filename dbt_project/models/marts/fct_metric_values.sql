-- One row per metric, agent, local business date, channel and contact reason: the numerator and
-- denominator, never a ratio, so every rollup sums them. Queue metrics of contacts nobody
-- answered carry no agent. The configuration in force is recorded on every row.
with

parts as (
    select * from {{ ref('int_metric_parts') }}
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
        sum(numerator)::double as numerator,
        sum(denominator)::double as denominator,
        '{{ parity_config_text() }}' as metric_config
    from parts
    group by all
)

select * from final
