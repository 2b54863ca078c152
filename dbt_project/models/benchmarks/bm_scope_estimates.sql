-- One row per scope (agent, team, site, center), metric and peer group over the review period:
-- the raw value; the case-mix adjusted value by indirect standardization (expected = the
-- scope's volume in each contact reason x priority cell times the peer group's value in that
-- cell; adjusted = observed / expected x the peer value); the empirical-Bayes shrunk value
-- toward the peer group with its interval (beta-binomial for proportions and ratios,
-- normal-normal for means), and whether the sample is large enough to rank.
{%- set z = number_var('interval_z') %}
with

cells as (
    select * from {{ ref('bm_scope_cells') }} where period_kind = 'review'
),

catalogue as (
    select metric_name, estimator, direction, minimum_sample, scale from {{ ref('dim_metrics') }}
),

peer_cells as (
    select scope_type, peer_group, metric_name, channel, contact_reason, priority,
           sum(numerator) / sum(denominator) as cell_value
    from cells
    group by scope_type, peer_group, metric_name, channel, contact_reason, priority
    having sum(denominator) > 0
),

peer_overall as (
    select scope_type, peer_group, metric_name, channel,
           sum(numerator) / sum(denominator) as peer_value
    from cells
    group by scope_type, peer_group, metric_name, channel
    having sum(denominator) > 0
),

scope_totals as (
    select
        c.scope_type, c.scope_id, c.peer_group, c.metric_name, c.channel,
        sum(c.numerator) as numerator,
        sum(c.numerator_sq) as numerator_sq,
        sum(c.denominator) as denominator,
        sum(c.events) as events,
        sum(c.denominator * p.cell_value) as expected_numerator
    from cells as c
    inner join peer_cells as p
        on p.scope_type = c.scope_type and p.peer_group = c.peer_group
        and p.metric_name = c.metric_name and p.channel = c.channel
        and p.contact_reason = c.contact_reason and p.priority = c.priority
    group by c.scope_type, c.scope_id, c.peer_group, c.metric_name, c.channel
    having sum(c.denominator) > 0
),

adjusted as (
    select
        t.*,
        k.estimator, k.direction, k.minimum_sample, k.scale,
        o.peer_value,
        t.numerator / t.denominator as raw_value,
        t.numerator / nullif(t.expected_numerator, 0) as oe_ratio,
        coalesce(t.numerator / nullif(t.expected_numerator, 0) * o.peer_value,
                 t.numerator / t.denominator) as adjusted_value,
        t.events >= k.minimum_sample as is_rankable,
        -- sampling variance of the adjusted value: the peer group's pooled within-scope
        -- variance per event (a scope's own variance from a handful of events can be near
        -- zero by chance and would make its estimate look certain), over its events
        case
            when k.estimator = 'mean' then
                coalesce(
                    sum(greatest(t.numerator_sq - t.numerator * t.numerator / t.denominator, 0))
                        over peer_group
                    / nullif(sum(t.denominator - 1) over peer_group, 0),
                    greatest(t.numerator_sq / t.denominator
                             - (t.numerator / t.denominator) * (t.numerator / t.denominator), 0))
                / t.denominator
                * power(coalesce(o.peer_value / nullif(t.expected_numerator / t.denominator, 0),
                                 1), 2)
        end as mean_sampling_variance
    from scope_totals as t
    inner join catalogue as k on k.metric_name = t.metric_name
    inner join peer_overall as o
        on o.scope_type = t.scope_type and o.peer_group = t.peer_group
        and o.metric_name = t.metric_name and o.channel = t.channel
    window peer_group as (partition by t.scope_type, t.peer_group, t.metric_name, t.channel)
),

priors as (
    -- the peer group's spread between scopes, net of sampling noise (rankable scopes only)
    select
        scope_type, peer_group, metric_name, channel,
        count(*) as rankable_scopes,
        avg(adjusted_value) as prior_mean,
        coalesce(var_samp(adjusted_value), 0) as between_variance,
        avg(case when estimator = 'mean' then mean_sampling_variance
                 else least(greatest(adjusted_value, 0), 1)
                      * (1 - least(greatest(adjusted_value, 0), 1)) / events end)
            as mean_sampling_variance
    from adjusted
    where is_rankable
    group by scope_type, peer_group, metric_name, channel
),

shrunk as (
    select
        a.*,
        p.rankable_scopes,
        p.prior_mean,
        greatest(p.between_variance - p.mean_sampling_variance,
                 1e-6 * greatest(p.prior_mean * p.prior_mean, 1e-6)) as tau_squared
    from adjusted as a
    left join priors as p
        on p.scope_type = a.scope_type and p.peer_group = a.peer_group
        and p.metric_name = a.metric_name and p.channel = a.channel
),

estimated as (
    select
        shrunk.*,
        case
            when prior_mean is null then adjusted_value
            when estimator = 'mean' then
                (tau_squared * adjusted_value + mean_sampling_variance * prior_mean)
                / (tau_squared + mean_sampling_variance)
            else
                -- beta-binomial: prior Beta(m k, (1 - m) k), k from the method of moments
                (least(greatest(adjusted_value, 0), 1) * events + prior_mean * prior_strength)
                / (events + prior_strength)
        end as shrunk_value,
        case
            when prior_mean is null then null
            when estimator = 'mean' then
                tau_squared * mean_sampling_variance / (tau_squared + mean_sampling_variance)
        end as mean_posterior_variance,
        prior_strength
    from (
        select
            shrunk.*,
            least(greatest(prior_mean * (1 - prior_mean) / tau_squared - 1, 1), 1e6)
                as prior_strength
        from shrunk
    ) as shrunk
),

intervals as (
    select
        estimated.*,
        case when estimator = 'mean' then sqrt(mean_posterior_variance)
             else sqrt(least(greatest(shrunk_value, 0), 1) * (1 - least(greatest(shrunk_value, 0), 1))
                       / (events + prior_strength + 1))
        end as posterior_sd
    from estimated
)

select
    scope_type, scope_id, peer_group, metric_name, channel, estimator, direction, scale,
    numerator, denominator, events, raw_value, expected_numerator, oe_ratio, peer_value,
    adjusted_value, shrunk_value, posterior_sd,
    shrunk_value - {{ z }} * posterior_sd as interval_low,
    shrunk_value + {{ z }} * posterior_sd as interval_high,
    is_rankable
from intervals
