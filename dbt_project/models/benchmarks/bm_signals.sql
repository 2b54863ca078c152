-- Composite signals, one row per scope and signal found in the review period, with its evidence.
-- Rule signals (seed signal_rules): every metric of the rule must sit in the named quartile of
-- the peer group (low: at or under p25; high: at or over p75) and credibly so (the interval
-- clears the peer median). Knowledge gap: a team whose repeat-contact FCR in one contact reason
-- is credibly below the other teams of its peer group there, by a material margin (its repeat
-- rate in the reason at least knowledge_gap_min_ratio times theirs: many teams x reasons are
-- tested, so significance alone would flag ordinary noise), with that reason holding at least
-- knowledge_gap_min_share of the team's excess repeat contacts.
{%- set z = number_var('interval_z') %}
with

rules as (
    select * from {{ ref('signal_rules') }}
),

rule_sizes as (
    select signal, scope_type, count(distinct metric_name) as metrics, max(description) as description
    from rules
    group by signal, scope_type
),

scores as (
    select * from {{ ref('bm_scores') }} where is_rankable
),

peers as (
    select * from {{ ref('bm_peer_percentiles') }}
),

conditions as (
    select
        r.signal,
        s.scope_type,
        s.scope_id,
        s.metric_name,
        s.metric_name || ' ' || cast(round(s.shrunk_value, 3) as varchar)
            || case when r.side = 'low' then ' <= p25 ' || cast(round(p.p25, 3) as varchar)
                    else ' >= p75 ' || cast(round(p.p75, 3) as varchar) end
            || ' (interval ' || cast(round(s.interval_low, 3) as varchar) || ' to '
            || cast(round(s.interval_high, 3) as varchar) || ', peer median '
            || cast(round(p.p50, 3) as varchar) || ')' as evidence
    from rules as r
    inner join scores as s on s.scope_type = r.scope_type and s.metric_name = r.metric_name
    inner join peers as p
        on p.scope_type = s.scope_type and p.peer_group = s.peer_group
        and p.metric_name = s.metric_name and p.channel = s.channel
    where p.rankable_scopes >= {{ number_var('minimum_peers') }}
      and case when r.side = 'low' then s.shrunk_value <= p.p25 and s.interval_high < p.p50
               else s.shrunk_value >= p.p75 and s.interval_low > p.p50 end
),

rule_signals as (
    select
        c.signal,
        c.scope_type,
        c.scope_id,
        cast(null as varchar) as contact_reason,
        max(z.description) as description,
        {{ dbt.listagg('c.evidence', "'; '", 'order by c.evidence') }} as evidence
    from conditions as c
    inner join rule_sizes as z on z.signal = c.signal and z.scope_type = c.scope_type
    group by c.signal, c.scope_type, c.scope_id
    having count(distinct c.metric_name) = max(z.metrics)
),

team_reasons as (
    select scope_id as team_id, peer_group, contact_reason,
           sum(numerator) as resolved, sum(denominator) as first_contacts
    from {{ ref('bm_scope_cells') }}
    where scope_type = 'team' and metric_name = 'fcr_repeat' and period_kind = 'review'
    group by scope_id, peer_group, contact_reason
),

reason_peers as (
    select peer_group, contact_reason, sum(resolved) as resolved, sum(first_contacts) as first_contacts
    from team_reasons
    group by peer_group, contact_reason
),

reason_gaps as (
    select
        t.team_id,
        t.contact_reason,
        t.first_contacts,
        t.resolved / t.first_contacts as team_rate,
        (p.resolved - t.resolved) / (p.first_contacts - t.first_contacts) as others_rate,
        t.first_contacts * (p.resolved - t.resolved) / (p.first_contacts - t.first_contacts)
            - t.resolved as excess_repeats
    from team_reasons as t
    inner join reason_peers as p
        on p.peer_group = t.peer_group and p.contact_reason = t.contact_reason
    where t.first_contacts > 0 and p.first_contacts > t.first_contacts
),

reason_scored as (
    select
        reason_gaps.*,
        (team_rate - others_rate)
            / nullif(sqrt(others_rate * (1 - others_rate) / first_contacts), 0) as z_score,
        excess_repeats / nullif(sum(greatest(excess_repeats, 0)) over (partition by team_id), 0)
            as share_of_excess,
        (1 - team_rate) / nullif(1 - others_rate, 0) as repeat_ratio
    from reason_gaps
),

knowledge_gaps as (
    select
        'knowledge_gap' as signal,
        'team' as scope_type,
        team_id as scope_id,
        contact_reason,
        'Repeat contacts concentrated in one contact reason' as description,
        'fcr_repeat in ' || contact_reason || ' ' || cast(round(team_rate, 3) as varchar)
            || ' vs ' || cast(round(others_rate, 3) as varchar) || ' at the other teams (z '
            || cast(round(z_score, 1) as varchar) || ', repeats '
            || cast(round(repeat_ratio, 1) as varchar) || 'x theirs); '
            || cast(round(excess_repeats, 0) as varchar) || ' extra repeat contacts, '
            || cast(round(100 * share_of_excess, 0) as varchar) || '% of the team''s excess'
            as evidence
    from reason_scored
    where z_score < -{{ z }} and share_of_excess >= {{ number_var('knowledge_gap_min_share') }}
      and repeat_ratio >= {{ number_var('knowledge_gap_min_ratio') }}
      and first_contacts >= {{ number_var('minimum_sample') }}
),

final as (
    select * from rule_signals
    union all
    select * from knowledge_gaps
)

select
    final.*,
    periods.review_start,
    periods.review_end
from final
cross join {{ ref('bm_periods') }} as periods
