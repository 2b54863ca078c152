-- Numerator and denominator of each contact, survey and QA metric, one row per source event,
-- at its agent, local business date, channel, contact reason and priority.
{%- set sl = number_var('service_level_seconds') %}
{%- set email_sl = number_var('email_service_level_seconds') %}
{%- set formula = var('service_level_formula') %}
{%- set formulas = ['short_abandons_excluded', 'answered_only', 'abandons_after_threshold',
                    'abandons_within_threshold_in_service'] %}
{%- if formula not in formulas %}
    {{ exceptions.raise_compiler_error("service_level_formula must be one of " ~ formulas) }}
{%- endif %}
{%- set threshold = "case when channel = 'email' then " ~ email_sl ~ " else " ~ sl ~ " end" %}
{%- set short = number_var('short_abandon_seconds') %}
with

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

cases as (
    select * from {{ ref('int_contacts_repeat_flagged') }}
),

surveys as (
    select * from {{ ref('int_surveys_joined') }}
),

evaluations as (
    select
        qa.*,
        c.team_id, c.site_id, c.channel, c.contact_reason, c.priority,
        cast(timezone(c.business_timezone, qa.evaluated_at) as date) as business_date
    from {{ ref('int_qa_evaluations_scored') }} as qa
    inner join contacts as c on qa.interaction_id = c.interaction_id
),

handled as (
    select * from contacts where is_handled
),

proficiency as (
    select * from {{ ref('int_agent_proficiency') }} where proficient_on is not null
),

attrition as (
    select * from {{ ref('int_team_months_attrition') }}
),

workforce as (
    select w.*, a.team_id, a.site_id
    from {{ ref('int_agent_days_workforce') }} w
    left join {{ ref('stg_hr__agents') }} a using (agent_id)
),

queued as (
    select * from contacts
    where direction = 'inbound' and not (is_abandoned and queue_seconds < {{ short }})
),

service_level_base as (
    -- the contacts in the service-level denominator under the configured formula
    select * from contacts
    where direction = 'inbound'
    {%- if formula == 'short_abandons_excluded' %}
        and not (is_abandoned and queue_seconds < {{ short }})
    {%- elif formula == 'answered_only' %}
        and is_handled
    {%- elif formula == 'abandons_after_threshold' %}
        and not (is_abandoned and queue_seconds <= {{ threshold }})
    {%- endif %}
),

parts as (
    select 'fcr_repeat' as metric_name, agent_id, team_id, site_id, business_date, channel,
           contact_reason, priority, (not is_followed_by_repeat)::int as numerator,
           1 as denominator
    from cases where not is_repeat and not is_provisional
    union all
    select 'aht', agent_id, team_id, site_id, business_date, channel, contact_reason, priority,
           handle_seconds, 1 from handled
    union all
    select 'acw', agent_id, team_id, site_id, business_date, channel, contact_reason, priority,
           acw_seconds, 1 from handled
    union all
    select 'transfer_rate', agent_id, team_id, site_id, business_date, channel, contact_reason, priority,
           is_transferred::int, 1 from handled
    union all
    select 'service_level', agent_id, team_id, site_id, business_date, channel, contact_reason, priority,
    {%- if formula == 'abandons_within_threshold_in_service' %}
           (queue_seconds <= {{ threshold }})::int, 1
    {%- else %}
           (is_handled and queue_seconds <= {{ threshold }})::int, 1
    {%- endif %}
    from service_level_base
    union all
    select 'asa', agent_id, team_id, site_id, business_date, channel, contact_reason, priority,
           queue_seconds, 1 from queued where is_handled
    union all
    select 'abandonment_rate', agent_id, team_id, site_id, business_date, channel,
           contact_reason, priority, is_abandoned::int, 1 from queued
    union all
    select 'csat', agent_id, team_id, site_id, business_date, channel, contact_reason, priority,
           (csat >= 4)::int, 1 from surveys where csat is not null
    union all
    select 'nps', agent_id, team_id, site_id, business_date, channel, contact_reason, priority,
           (nps >= 9)::int - (nps <= 6)::int, 1 from surveys where nps is not null
    union all
    select 'ces', agent_id, team_id, site_id, business_date, channel, contact_reason, priority,
           ces, 1 from surveys where ces is not null and ces_version = 'CES2.0'
    union all
    select 'fcr_survey', agent_id, team_id, site_id, business_date, channel, contact_reason, priority,
           is_customer_resolved::int, 1 from surveys where is_customer_resolved is not null
    union all
    select 'qa_score', agent_id, team_id, site_id, business_date, channel, contact_reason, priority,
           qa_score, 1 from evaluations where qa_score is not null
    union all
    select 'critical_fail_rate', agent_id, team_id, site_id, business_date, channel,
           contact_reason, priority, has_critical_fail::int, 1 from evaluations
    union all
    select 'schedule_adherence', agent_id, team_id, site_id, business_date, null, null, null,
           adherent_minutes, scheduled_minutes from workforce where scheduled_minutes > 0
    union all
    select 'conformance', agent_id, team_id, site_id, business_date, null, null, null,
           conforming_minutes, scheduled_minutes from workforce where scheduled_minutes > 0
    union all
    select 'shrinkage', agent_id, team_id, site_id, business_date, null, null, null,
           planned_shrinkage_minutes + unplanned_shrinkage_minutes, scheduled_minutes
    from workforce where scheduled_minutes > 0
    union all
    select 'occupancy', agent_id, team_id, site_id, business_date, null, null, null,
           handling_seconds, handling_seconds + available_seconds
    from workforce where handling_seconds + available_seconds > 0
    union all
    select 'attrition', null, team_id, site_id, month_start, null, null, null,
           leavers, (headcount_start + headcount_end) / 2.0
    from attrition where headcount_start + headcount_end > 0
    union all
    select 'time_to_proficiency', agent_id, team_id, site_id, proficient_on, channel, null, null,
           days_to_proficiency, 1
    from proficiency
)

select * from parts
