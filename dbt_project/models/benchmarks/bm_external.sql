-- One row per industry reference figure that applies to this center (the configured industry or
-- cross-industry, the configured region or global): Parity's own value of the metric over the
-- review period, center-wide, next to the figure, with its source, year and definition notes.
-- A figure whose definition is not comparable is listed with the reason and no Parity value
-- (survey FCR is never set against repeat-contact FCR); a figure older than
-- reference_max_age_years, or undated, is flagged stale.
with

periods as (
    select * from {{ ref('bm_periods') }}
),

reference_figures as (
    select * from {{ ref('industry_references') }}
    where industry in ('{{ code_var('reference_industry') }}', 'cross_industry')
      and region in ('{{ code_var('reference_region') }}', 'global')
),

center_cells as (
    select metric_name, channel, numerator, denominator
    from {{ ref('bm_scope_cells') }}
    where scope_type = 'center' and period_kind = 'review'
),

center_values as (
    select metric_name, channel, sum(numerator) / sum(denominator) as parity_value
    from center_cells
    group by metric_name, channel
    having sum(denominator) > 0
    union all
    select metric_name, 'all', sum(numerator) / sum(denominator)
    from center_cells
    group by metric_name
    having sum(denominator) > 0 and count(distinct channel) > 1
),

final as (
    select
        r.reference_id,
        r.metric_name,
        r.channel,
        r.statistic,
        r.value as reference_value,
        r.unit,
        r.comparable
            and (r.requires_service_level_seconds is null
                 or r.requires_service_level_seconds = {{ number_var('service_level_seconds') }})
            as is_compared,
        case when r.requires_service_level_seconds is not null
                  and r.requires_service_level_seconds <> {{ number_var('service_level_seconds') }}
             then 'Not compared: the reference threshold is '
                  || cast(r.requires_service_level_seconds as varchar) || ' s; Parity uses '
                  || '{{ number_var('service_level_seconds') }} s'
             else r.comparison_note
        end as comparison_note,
        case when r.comparable
                  and (r.requires_service_level_seconds is null
                       or r.requires_service_level_seconds = {{ number_var('service_level_seconds') }})
             then v.parity_value * r.parity_multiplier
        end as parity_value,
        r.source,
        r.publication_year,
        r.source_type,
        r.segment,
        r.industry,
        r.region,
        r.definition_notes,
        r.publication_year is null
            or r.publication_year < extract(year from p.as_of) - {{ number_var('reference_max_age_years') }}
            as is_stale,
        p.review_start,
        p.review_end
    from reference_figures as r
    cross join periods as p
    left join center_values as v on v.metric_name = r.metric_name and v.channel = r.channel
)

select
    final.*,
    case when parity_value is null then null
         when k.direction = 'higher' then reference_value - parity_value
         else parity_value - reference_value
    end as gap_to_reference
from final
left join {{ ref('dim_metrics') }} as k on k.metric_name = final.metric_name
