-- One row per calendar date of the time spine (2015 to 2035), with ISO week and month: every
-- business date and period start of the facts is a date here (tested).
select
    date_day,
    cast(date_trunc('week', date_day) as date) as iso_week_start,
    isoyear(date_day) as iso_year,
    week(date_day) as iso_week,
    cast(date_trunc('month', date_day) as date) as month_start,
    isodow(date_day) as iso_day_of_week,
    isodow(date_day) >= 6 as is_weekend
from {{ ref('time_spine_daily') }}
