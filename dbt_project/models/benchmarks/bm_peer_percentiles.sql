-- One row per scope type (agent, team, site), peer group, metric and channel over the review
-- period: p25, p50, p75 and p90 of the shrunk values of the rankable scopes (continuous
-- percentiles, so ties share their value), the internal top-quartile value (p75 when higher is
-- better, p25 when lower is) and the best credible peer value (the best interval bound on the
-- worse side among the rankable scopes: no target goes beyond it).
with

estimates as (
    select * from {{ ref('bm_scope_estimates') }} where is_rankable
),

final as (
    select
        scope_type,
        peer_group,
        metric_name,
        channel,
        max(direction) as direction,
        count(*) as rankable_scopes,
        percentile_cont(0.25) within group (order by shrunk_value) as p25,
        percentile_cont(0.50) within group (order by shrunk_value) as p50,
        percentile_cont(0.75) within group (order by shrunk_value) as p75,
        percentile_cont(0.90) within group (order by shrunk_value) as p90,
        case when max(direction) = 'higher'
             then percentile_cont(0.75) within group (order by shrunk_value)
             else percentile_cont(0.25) within group (order by shrunk_value)
        end as top_quartile_value,
        case when max(direction) = 'higher' then max(interval_low) else min(interval_high) end
            as best_credible_value
    from estimates
    group by scope_type, peer_group, metric_name, channel
)

select * from final
