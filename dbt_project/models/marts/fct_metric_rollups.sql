-- One row per metric, scope (agent, team, site, center) and period (day, ISO week, month):
-- sums of numerators and denominators, and the value they give. Never an average of averages.
-- Incremental: a run rebuilds every period touching its window and the whole-history metrics.
{%- set scopes = [('agent', 'agent_id'), ('team', 'team_id'), ('site', 'site_id'),
                  ('center', "'center'")] %}
{%- set periods = [('day', 'business_date'),
                   ('week', "date_trunc('week', business_date)"),
                   ('month', "date_trunc('month', business_date)")] %}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_recompute_window(metric_rows_rebuilt(in_recompute_periods('period_start'))) }}",
) }}
with

values as (
    select * from {{ ref('fct_metric_values') }}
    where {{ metric_rows_rebuilt(in_recompute_periods('business_date')) }}
),

catalogue as (
    select metric_name, scale from {{ ref('dim_metrics') }}
),

rolled as (
    {%- for scope, scope_column in scopes %}
    {%- for period, period_expr in periods %}
    select
        metric_name,
        '{{ scope }}' as scope_type,
        {{ scope_column }} as scope_id,
        '{{ period }}' as period_type,
        cast({{ period_expr }} as date) as period_start,
        channel,
        {{ exact_sum("numerator") }} as numerator,
        {{ exact_sum("denominator") }} as denominator,
        any_value(metric_config) as metric_config
    from values
    where {{ scope_column }} is not null
    group by all
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        rolled.*,
        rolled.numerator / nullif(rolled.denominator, 0) * catalogue.scale as metric_value
    from rolled
    inner join catalogue using (metric_name)
    -- a week or month starting before the rebuilt periods was summed from part of its dates
    where {{ metric_rows_rebuilt(in_recompute_periods('period_start')) }}
)

select * from final
