-- One row per calendar date the data covers, with ISO week and month.
with

bounds as (
    select min(business_date) as first_date, max(business_date) as last_date
    from {{ ref('int_contacts_enriched') }}
),

days as (
    select cast(unnest(generate_series(first_date, last_date, interval 1 day)) as date)
        as date_day
    from bounds
)

select
    date_day,
    cast(date_trunc('week', date_day) as date) as iso_week_start,
    isoyear(date_day) as iso_year,
    week(date_day) as iso_week,
    cast(date_trunc('month', date_day) as date) as month_start,
    isodow(date_day) as iso_day_of_week,
    isodow(date_day) >= 6 as is_weekend
from days
