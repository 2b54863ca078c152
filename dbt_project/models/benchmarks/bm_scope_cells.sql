-- Numerator, denominator and events of each scope (agent, team, site, center) per metric,
-- channel and case-mix cell (contact reason x priority), in the review period, the baseline and
-- since the review period, by ISO week. Scopes are compared inside peer groups: the channel plus, for agents
-- and teams, the configured peer_group_by attribute (the skill by default).
{%- set peer_by = var('peer_group_by') %}
{%- if peer_by not in ['skill', 'none'] %}
    {{ exceptions.raise_compiler_error("peer_group_by must be skill or none, got " ~ peer_by) }}
{%- endif %}
{%- set scopes = [('agent', 'v.agent_id', 'a.skill'), ('team', 'v.team_id', 't.skill'),
                  ('site', 'v.site_id', "'all'"), ('center', "'center'", "'all'")] %}
with

periods as (
    select * from {{ ref('bm_periods') }}
),

metrics as (
    select metric_name, benchmark_scopes from {{ ref('dim_metrics') }}
),

team_skills as (
    -- a team's skill is the one most of its agents have
    select team_id, skill
    from (
        select team_id, skill,
               row_number() over (partition by team_id order by count(*) desc, skill) as rank
        from {{ ref('dim_agents') }}
        group by team_id, skill
    ) as ranked
    where rank = 1
),

values_in_periods as (
    select
        v.*,
        case
            when v.business_date between p.review_start and p.review_end then 'review'
            when v.business_date between p.baseline_start and p.baseline_end then 'baseline'
            when v.business_date > p.review_end then 'since_review'
        end as period_kind
    from {{ ref('fct_metric_values') }} as v
    cross join periods as p
),

cells as (
    {%- for scope_type, scope_column, skill_column in scopes %}
    select
        '{{ scope_type }}' as scope_type,
        {{ scope_column }} as scope_id,
        coalesce(v.channel, 'all') as channel,
        {%- if peer_by == 'skill' %}
        coalesce(v.channel, 'all') || '/' || coalesce({{ skill_column }}, 'all') as peer_group,
        {%- else %}
        coalesce(v.channel, 'all') as peer_group,
        {%- endif %}
        v.metric_name,
        coalesce(v.contact_reason, 'all') as contact_reason,
        coalesce(v.priority, 'all') as priority,
        v.period_kind,
        cast({{ dbt.date_trunc('week', 'v.business_date') }} as date) as week_start,
        sum(v.numerator) as numerator,
        sum(v.numerator_sq) as numerator_sq,
        sum(v.denominator) as denominator,
        sum(v.event_count) as events
    from values_in_periods as v
    inner join metrics as m
        on m.metric_name = v.metric_name
        and m.benchmark_scopes like '%{{ scope_type }}%'
    left join {{ ref('dim_agents') }} as a on a.agent_id = v.agent_id
    left join team_skills as t on t.team_id = v.team_id
    where v.period_kind is not null and {{ scope_column }} is not null
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select * from cells
