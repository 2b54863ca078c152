-- One row per metric, scope (agent, team, site, center) and period (day, ISO week, month):
-- sums of numerators and denominators, and the value they give. Never an average of averages.
{%- set scopes = [('agent', 'agent_id'), ('team', 'team_id'), ('site', 'site_id'),
                  ('center', "'center'")] %}
{%- set periods = [('day', 'business_date'),
                   ('week', "date_trunc('week', business_date)"),
                   ('month', "date_trunc('month', business_date)")] %}
with

values as (
    select * from {{ ref('fct_metric_values') }}
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
        sum(numerator) as numerator,
        sum(denominator) as denominator,
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
)

select * from final
