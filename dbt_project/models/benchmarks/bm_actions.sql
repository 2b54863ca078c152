-- The open actions: one row per action issued and not closed, with the date it was issued, its
-- evidence and expected effect. Each stays one row however many nightly runs see it again.
with

log as (
    select * from {{ ref('bm_action_log') }}
),

latest as (
    select
        log.*,
        row_number() over (partition by action_key order by event_sequence desc) as position
    from log
)

select
    action_key, scope_type, scope_id, action_code, action_type, action, expected_effect,
    contact_reason, evidence, event_on as issued_on
from latest
where position = 1 and event = 'issued'
