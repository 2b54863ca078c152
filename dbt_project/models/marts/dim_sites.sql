-- One row per site with its timezone, which defines its local business date.
select
    site_id,
    any_value(site_name) as site_name,
    any_value(site_timezone) as site_timezone
from {{ ref('stg_hr__agents') }}
group by site_id
