-- One row per day from 2015 to 2035: the time spine MetricFlow joins periods against.
select cast(unnest(generate_series(date '2015-01-01', date '2035-12-31', interval 1 day))
            as date) as date_day
