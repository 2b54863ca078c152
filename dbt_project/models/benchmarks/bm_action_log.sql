-- The action log: one row per event on a recommended action. A candidate (from a composite
-- signal, or a scope's top credible gaps, matched to the action catalogue) is issued once; it
-- stays open, and is not issued again, while it remains a candidate in later runs; it is closed
-- by the first run where it no longer is. Incremental and append-only: the history stays;
-- event_sequence numbers the runs that wrote events.
{{ config(materialized='incremental', incremental_strategy='append') }}
with

periods as (
    select * from {{ ref('bm_periods') }}
),

catalogue as (
    select * from {{ ref('action_catalogue') }}
),

from_signals as (
    select c.action_code, s.scope_type, s.scope_id, s.contact_reason, s.evidence
    from {{ ref('bm_signals') }} as s
    inner join catalogue as c
        on c.trigger_kind = 'signal' and c.trigger = s.signal and c.scope_type = s.scope_type
),

from_gaps as (
    select
        c.action_code, g.scope_type, g.scope_id, g.concentrates_in as contact_reason,
        g.metric_name || ' ' || cast(round(g.value, 3) as varchar) || ' vs '
            || g.benchmark_kind || ' ' || cast(round(g.benchmark_value, 3) as varchar)
            || ' (gap ' || cast(round(g.gap_low, 3) as varchar) || ' to '
            || cast(round(g.gap_high, 3) as varchar) || ')'
            || coalesce(', mostly ' || g.concentrates_in, '') as evidence
    from {{ ref('bm_gaps') }} as g
    inner join catalogue as c
        on c.trigger_kind = 'gap' and c.trigger = g.metric_name and c.scope_type = g.scope_type
    where g.is_credible and g.benchmark_kind = 'internal_top_quartile'
      and g.priority_rank <= {{ number_var('actions_per_scope') }}
),

candidates as (
    select
        c.scope_type || ':' || c.scope_id || ':' || c.action_code || ':'
            || coalesce(c.contact_reason, '-') as action_key,
        c.*
    from (select * from from_signals union all select * from from_gaps) as c
),

{% if is_incremental() %}
latest as (
    select action_key, event
    from (
        select action_key, event,
               row_number() over (partition by action_key order by event_sequence desc) as position
        from {{ this }}
    ) as ranked
    where position = 1
),

open_actions as (
    select action_key from latest where event = 'issued'
),
{% else %}
open_actions as (
    select cast(null as varchar) as action_key where 1 = 0
),
{% endif %}

issued as (
    select c.action_key, c.scope_type, c.scope_id, c.action_code, c.contact_reason, c.evidence,
           'issued' as event
    from candidates as c
    where c.action_key not in (select action_key from open_actions)
),

closed as (
    {%- if is_incremental() %}
    select l.action_key, l.scope_type, l.scope_id, l.action_code, l.contact_reason,
           'no longer a candidate' as evidence, 'closed' as event
    from {{ this }} as l
    inner join open_actions as o on o.action_key = l.action_key
    where l.event = 'issued'
      and l.action_key not in (select action_key from candidates)
    {%- else %}
    select * from issued where 1 = 0
    {%- endif %}
),

final as (
    select
        e.action_key,
        e.scope_type,
        e.scope_id,
        e.action_code,
        c.action_type,
        replace(c.action, '{reason}', coalesce(e.contact_reason, 'the contact reasons concerned'))
            as action,
        replace(c.expected_effect, '{reason}', coalesce(e.contact_reason, 'them'))
            as expected_effect,
        e.contact_reason,
        e.evidence,
        e.event,
        p.as_of as event_on,
        {%- if is_incremental() %}
        (select coalesce(max(event_sequence), 0) + 1 from {{ this }}) as event_sequence
        {%- else %}
        1 as event_sequence
        {%- endif %}
    from (select * from issued union all select * from closed) as e
    inner join catalogue as c on c.action_code = e.action_code
    cross join periods as p
)

select * from final
