-- The floor of the transform stage: five core metrics computed by hand in DuckDB straight from
-- the landing CSVs (no ingest, no validation, no PII hashing, no dbt, no Parity code), with
-- the definitions of the metric catalogue (dbt_project/seeds/metric_catalogue.csv) and the
-- default configuration of dbt_project.yml: FCR window 7 days, service level within 20 s
-- (email 86,400 s), short abandons under 5 s excluded.
--
-- Input: the variables agent_files, crm_files and survey_files, each a list of CSV paths
-- (set by parity.bench.floor with bound parameters). Output: the table floor_metrics, one row
-- per metric and grain with numerator and denominator:
--   aht, csat, fcr_repeat              agent x local business date (channel null)
--   abandonment_rate, service_level    channel x local business date (agent null)

-- The roster as of each agent's latest daily snapshot; the file name carries its date.
create or replace temp table roster as
select agent_id, coalesce(site_timezone, 'America/New_York') as business_timezone
from read_csv(getvariable('agent_files'), header = true, filename = true,
              types = {'agent_id': 'varchar', 'site_timezone': 'varchar'})
qualify row_number() over (partition by agent_id order by filename desc) = 1;

-- Contacts with the local business date of the agent's site (the center's when unanswered).
create or replace temp table contacts as
select
    c.interaction_id,
    coalesce(c.case_id, c.interaction_id) as case_key,
    c.customer_id,
    c.channel,
    c.direction,
    c.contact_reason,
    c.agent_id,
    c.offered_at,
    c.answered_at,
    c.abandoned,
    coalesce(c.queue_seconds,
             date_diff('second', c.offered_at, coalesce(c.answered_at, c.ended_at)))
        as queue_seconds,
    c.talk_seconds + c.hold_seconds + c.acw_seconds as handle_seconds,
    cast(timezone(coalesce(r.business_timezone, 'America/New_York'), c.offered_at) as date)
        as business_date
from read_csv(getvariable('crm_files'), header = true,
              types = {'interaction_id': 'varchar', 'case_id': 'varchar',
                       'customer_id': 'varchar', 'agent_id': 'varchar',
                       'offered_at': 'timestamptz', 'answered_at': 'timestamptz',
                       'ended_at': 'timestamptz', 'queue_seconds': 'integer',
                       'talk_seconds': 'integer', 'hold_seconds': 'integer',
                       'acw_seconds': 'integer', 'abandoned': 'boolean'}) as c
left join roster as r on c.agent_id = r.agent_id;

-- Repeat-contact FCR: the legs of a transfer share a case, taken at its first answered leg;
-- a case is a repeat when the customer came about the same reason within 7 days before it,
-- unresolved when they come again within 7 days after; cases whose 7 days reach past the
-- last contact are left out.
create or replace temp table fcr as
with cases as (
    select
        case_key,
        arg_min(agent_id, answered_at) as agent_id,
        arg_min(business_date, answered_at) as business_date,
        arg_min(contact_reason, answered_at) as contact_reason,
        arg_min(customer_id, answered_at) as customer_id,
        min(offered_at) as offered_at
    from contacts
    where not abandoned and direction = 'inbound'
    group by case_key
),
sequenced as (
    select
        *,
        lag(offered_at) over w as previous_offered_at,
        lead(offered_at) over w as next_offered_at
    from cases
    -- case_key breaks ties: two cases of one customer and reason offered in the same second
    window w as (partition by customer_id, contact_reason order by offered_at, case_key)
)
select
    agent_id,
    business_date,
    sum(case when customer_id is not null and next_offered_at <= offered_at + interval 7 day
             then 0 else 1 end) as numerator,
    count(*) as denominator
from sequenced
where not coalesce(customer_id is not null
                   and previous_offered_at >= offered_at - interval 7 day, false)
  and offered_at + interval 7 day <= (select max(offered_at) from cases)
group by all;

create or replace temp table floor_metrics as
select 'aht' as metric_name, business_date, agent_id, null::varchar as channel,
       sum(handle_seconds)::double as numerator, count(*)::double as denominator
from contacts
where not abandoned
group by all

union all

select 'csat', c.business_date, c.agent_id, null, sum((s.csat >= 4)::int), count(*)
from read_csv(getvariable('survey_files'), header = true,
              types = {'interaction_id': 'varchar', 'csat': 'integer'}) as s
inner join contacts as c on s.interaction_id = c.interaction_id
where s.csat is not null
group by all

union all

select 'fcr_repeat', business_date, agent_id, null, numerator, denominator
from fcr

union all

select 'abandonment_rate', business_date, null, channel, sum(abandoned::int), count(*)
from contacts
where direction = 'inbound' and not (abandoned and queue_seconds < 5)
group by all

union all

select 'service_level', business_date, null, channel,
       sum((not abandoned
            and queue_seconds <= case when channel = 'email' then 86400 else 20 end)::int),
       count(*)
from contacts
where direction = 'inbound' and not (abandoned and queue_seconds < 5)
group by all;
