-- One row per scope, metric and channel: the historical benchmark. The review-period value
-- against the scope's own trailing baseline (baseline_days before the review period), and the
-- trend: the least-squares slope of the weekly values over baseline and review, per month, with
-- its standard error; the trend is credible when the slope is interval_z standard errors away
-- from zero.
{%- set z = number_var('interval_z') %}
{%- set day_number = dbt.datediff("cast('2000-01-03' as date)", 'week_start', 'day') %}
with

cells as (
    select * from {{ ref('bm_scope_cells') }} where period_kind in ('baseline', 'review')
),

catalogue as (
    select metric_name, direction from {{ ref('dim_metrics') }}
),

by_period as (
    select
        scope_type, scope_id, metric_name, channel,
        sum(case when period_kind = 'baseline' then numerator end)
            / nullif(sum(case when period_kind = 'baseline' then denominator end), 0)
            as baseline_value,
        sum(case when period_kind = 'baseline' then events else 0 end) as baseline_events,
        sum(case when period_kind = 'review' then numerator end)
            / nullif(sum(case when period_kind = 'review' then denominator end), 0)
            as review_value,
        sum(case when period_kind = 'review' then events else 0 end) as review_events
    from cells
    group by scope_type, scope_id, metric_name, channel
),

weekly as (
    select scope_type, scope_id, metric_name, channel, week_start,
           sum(numerator) / sum(denominator) as week_value
    from cells
    group by scope_type, scope_id, metric_name, channel, week_start
    having sum(denominator) > 0
),

trend as (
    select
        scope_type, scope_id, metric_name, channel,
        count(*) as weeks,
        regr_slope(week_value, {{ day_number }}) * 30.4375 as slope_per_month,
        case when count(*) > 2 and regr_sxx(week_value, {{ day_number }}) > 0 then
            sqrt(greatest(regr_syy(week_value, {{ day_number }})
                          - power(regr_sxy(week_value, {{ day_number }}), 2)
                            / regr_sxx(week_value, {{ day_number }}), 0)
                 / (count(*) - 2) / regr_sxx(week_value, {{ day_number }})) * 30.4375
        end as slope_standard_error
    from weekly
    group by scope_type, scope_id, metric_name, channel
),

final as (
    select
        p.*,
        p.review_value - p.baseline_value as change_from_baseline,
        t.weeks,
        t.slope_per_month,
        t.slope_standard_error,
        coalesce(abs(t.slope_per_month) > {{ z }} * t.slope_standard_error, false)
            as is_trend_credible,
        case
            when not coalesce(abs(t.slope_per_month) > {{ z }} * t.slope_standard_error, false)
                then 'flat'
            when (t.slope_per_month > 0) = (k.direction = 'higher') then 'improving'
            else 'worsening'
        end as trend
    from by_period as p
    inner join catalogue as k on k.metric_name = p.metric_name
    left join trend as t
        on t.scope_type = p.scope_type and t.scope_id = p.scope_id
        and t.metric_name = p.metric_name and t.channel = p.channel
)

select * from final
