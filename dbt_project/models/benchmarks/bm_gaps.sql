-- One row per scope (agent, team, site), metric, channel and benchmark kind: the
-- direction-aware gap (positive = short of the benchmark) between the scope's shrunk value over
-- the review period and the benchmark (the internal top quartile of its peer group, its own
-- trailing baseline, and for sites the comparable external references), its interval, whether it
-- is credible (the whole interval is short), where it concentrates (the contact reason
-- contributing most against the peer group), its impact in operational units per month, and a
-- priority rank among the scope's credible gaps (1 = first to work on; unranked scopes get none).
with

scores as (
    select * from {{ ref('bm_scores') }} where scope_type in ('agent', 'team', 'site')
),

catalogue as (
    select metric_name, impact_unit, impact_divisor from {{ ref('dim_metrics') }}
),

history as (
    select * from {{ ref('bm_history') }}
),

external as (
    select * from {{ ref('bm_external') }} where is_compared
),

benchmarks as (
    select s.scope_type, s.scope_id, s.metric_name, s.channel,
           'internal_top_quartile' as benchmark_kind, 'internal_top_quartile' as benchmark_id,
           s.top_quartile_value as benchmark_value, cast(null as varchar) as benchmark_source
    from scores as s
    where s.top_quartile_value is not null and s.peer_scopes >= {{ number_var('minimum_peers') }}
    union all
    select s.scope_type, s.scope_id, s.metric_name, s.channel, 'own_baseline', 'own_baseline',
           h.baseline_value, null
    from scores as s
    inner join history as h
        on h.scope_type = s.scope_type and h.scope_id = s.scope_id
        and h.metric_name = s.metric_name and h.channel = s.channel
    inner join {{ ref('dim_metrics') }} as k on k.metric_name = s.metric_name
    where h.baseline_value is not null and h.baseline_events >= k.minimum_sample
    union all
    select s.scope_type, s.scope_id, s.metric_name, s.channel, 'external_' || x.statistic,
           x.reference_id, x.reference_value, x.source || ' (' || coalesce(cast(x.publication_year as varchar), 'undated') || ')'
    from scores as s
    inner join external as x on x.metric_name = s.metric_name and x.channel = s.channel
    where s.scope_type = 'site' and x.parity_value is not null
),

-- where the gap to the peer group concentrates: each contact reason's shortfall in units
cells as (
    select scope_type, scope_id, peer_group, metric_name, channel, contact_reason,
           sum(numerator) as numerator, sum(denominator) as denominator
    from {{ ref('bm_scope_cells') }}
    where period_kind = 'review' and contact_reason <> 'all'
    group by scope_type, scope_id, peer_group, metric_name, channel, contact_reason
    having sum(denominator) > 0
),

reason_peers as (
    select scope_type, peer_group, metric_name, channel, contact_reason,
           sum(numerator) / sum(denominator) as peer_value
    from cells
    group by scope_type, peer_group, metric_name, channel, contact_reason
),

reason_shortfalls as (
    select
        c.scope_type, c.scope_id, c.metric_name, c.channel, c.contact_reason,
        case when s.direction = 'higher' then p.peer_value * c.denominator - c.numerator
             else c.numerator - p.peer_value * c.denominator end as shortfall,
        row_number() over (
            partition by c.scope_type, c.scope_id, c.metric_name, c.channel
            order by case when s.direction = 'higher'
                          then p.peer_value * c.denominator - c.numerator
                          else c.numerator - p.peer_value * c.denominator end desc,
                     c.contact_reason) as position
    from cells as c
    inner join reason_peers as p
        on p.scope_type = c.scope_type and p.peer_group = c.peer_group
        and p.metric_name = c.metric_name and p.channel = c.channel
        and p.contact_reason = c.contact_reason
    inner join scores as s
        on s.scope_type = c.scope_type and s.scope_id = c.scope_id
        and s.metric_name = c.metric_name and s.channel = c.channel
),

gaps as (
    select
        s.scope_type,
        s.scope_id,
        s.peer_group,
        s.metric_name,
        s.channel,
        b.benchmark_kind,
        b.benchmark_id,
        b.benchmark_source,
        s.shrunk_value as value,
        b.benchmark_value,
        s.is_rankable,
        s.denominator,
        case when s.direction = 'higher' then b.benchmark_value - s.shrunk_value
             else s.shrunk_value - b.benchmark_value end as gap,
        case when s.direction = 'higher' then b.benchmark_value - s.interval_high
             else s.interval_low - b.benchmark_value end as gap_low,
        case when s.direction = 'higher' then b.benchmark_value - s.interval_low
             else s.interval_high - b.benchmark_value end as gap_high
    from scores as s
    inner join benchmarks as b
        on b.scope_type = s.scope_type and b.scope_id = s.scope_id
        and b.metric_name = s.metric_name and b.channel = s.channel
),

final as (
    select
        g.scope_type,
        g.scope_id,
        g.peer_group,
        g.metric_name,
        g.channel,
        g.benchmark_kind,
        g.benchmark_id,
        g.benchmark_source,
        g.value,
        g.benchmark_value,
        g.gap,
        g.gap_low,
        g.gap_high,
        g.gap / nullif(abs(g.benchmark_value), 0) as relative_gap,
        g.is_rankable and g.gap_low > 0 as is_credible,
        case when r.shortfall > 0 then r.contact_reason end as concentrates_in,
        case when r.shortfall > 0 then r.shortfall / nullif(g.gap * g.denominator, 0) end
            as concentration_share,
        case when g.gap > 0 then g.gap * g.denominator / k.impact_divisor end as impact_per_month,
        k.impact_unit,
        case when g.is_rankable and g.gap_low > 0 then
            row_number() over (
                partition by g.scope_type, g.scope_id, g.is_rankable and g.gap_low > 0
                order by g.gap / nullif(abs(g.benchmark_value), 0) desc, g.metric_name,
                         g.benchmark_kind)
        end as priority_rank
    from gaps as g
    inner join catalogue as k on k.metric_name = g.metric_name
    left join reason_shortfalls as r
        on r.scope_type = g.scope_type and r.scope_id = g.scope_id
        and r.metric_name = g.metric_name and r.channel = g.channel and r.position = 1
)

select final.*, periods.review_start, periods.review_end
from final
cross join {{ ref('bm_periods') }} as periods
