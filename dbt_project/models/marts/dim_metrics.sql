-- One row per catalogue metric: the single definition every number refers to.
select * from {{ ref('metric_catalogue') }}
