-- One row per scope, metric and peer group over the review period: the estimates of
-- bm_scope_estimates with the direction-aware percentile rank among the rankable scopes of the
-- peer group (1 = best), the top-quartile flag and the internal champion flag (top quartile,
-- enough sample, and a credible lead: the interval clears the peer median). The champion's
-- interval is taken at champion_z, wider than interval_z: every scope is tested on about twenty
-- metrics, and at 1.96 a perfectly average agent would clear the median on one of them by
-- chance about 4 times in 10 (3.0 is the Bonferroni bound for 20 one-sided tests at 2.5%).
{%- set champion_z = number_var('champion_z') %}
with

estimates as (
    select * from {{ ref('bm_scope_estimates') }}
),

peers as (
    select * from {{ ref('bm_peer_percentiles') }}
),

final as (
    select
        e.*,
        case when e.is_rankable then
            percent_rank() over (
                partition by e.scope_type, e.peer_group, e.metric_name, e.channel, e.is_rankable
                order by case when e.direction = 'higher' then e.shrunk_value
                              else -e.shrunk_value end)
        end as percentile_rank,
        p.rankable_scopes as peer_scopes,
        p.p50 as peer_median,
        p.top_quartile_value,
        coalesce(e.is_rankable and p.rankable_scopes >= {{ number_var('minimum_peers') }}
            and case when e.direction = 'higher' then e.shrunk_value >= p.top_quartile_value
                     else e.shrunk_value <= p.top_quartile_value end, false) as is_top_quartile,
        coalesce(e.is_rankable and p.rankable_scopes >= {{ number_var('minimum_peers') }}
            and case when e.direction = 'higher'
                     then e.shrunk_value >= p.top_quartile_value
                          and e.shrunk_value - {{ champion_z }} * e.posterior_sd > p.p50
                     else e.shrunk_value <= p.top_quartile_value
                          and e.shrunk_value + {{ champion_z }} * e.posterior_sd < p.p50
                end, false) as is_champion
    from estimates as e
    left join peers as p
        on p.scope_type = e.scope_type and p.peer_group = e.peer_group
        and p.metric_name = e.metric_name and p.channel = e.channel
)

select * from final
