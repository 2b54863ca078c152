-- The periods of this benchmark run (one row): the review period is the last complete calendar
-- month (review_cadence: month) or ISO week (week) of the data, the baseline the trailing
-- baseline_days before it, and the targets set from it start the day after it and fall due
-- target_horizon_months later.
{%- set cadence = var('review_cadence') %}
{%- if cadence not in ('month', 'week') %}
  {{ exceptions.raise_compiler_error("review_cadence must be 'month' or 'week', not '" ~ cadence ~ "'") }}
{%- endif %}
with

data_end as (
    select max(business_date) as as_of
    from {{ ref('fct_metric_values') }}
    where metric_name in (select metric_name from {{ ref('dim_metrics') }} where refresh = 'window')
),

review as (
    select
        as_of,
        case when {{ dbt.dateadd('day', 1, 'as_of') }}
                  = {{ dbt.date_trunc(cadence, dbt.dateadd('day', 1, 'as_of')) }}
             then cast({{ dbt.date_trunc(cadence, 'as_of') }} as date)
             else cast({{ dbt.dateadd(cadence, -1, dbt.date_trunc(cadence, 'as_of')) }} as date)
        end as review_start
    from data_end
),

final as (
    select
        as_of,
        review_start,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd(cadence, 1, 'review_start')) }} as date)
            as review_end,
        cast({{ dbt.dateadd('day', -number_var('baseline_days'), 'review_start') }} as date)
            as baseline_start,
        cast({{ dbt.dateadd('day', -1, 'review_start') }} as date) as baseline_end,
        cast({{ dbt.dateadd(cadence, 1, 'review_start') }} as date) as target_start,
        cast({{ dbt.dateadd('month', number_var('target_horizon_months'),
                            dbt.dateadd(cadence, 1, 'review_start')) }} as date) as target_due
    from review
)

select * from final
