-- One row per team and calendar month of the data: headcount at the start and at the end of
-- the month, and the agents whose last day employed fell in it.
with

agents as (
    select * from {{ ref('stg_hr__agents') }}
),

bounds as (
    select min(business_date) as first_date, max(business_date) as last_date
    from {{ ref('int_contacts_enriched') }}
),

months as (
    select
        cast(month_start as date) as month_start,
        cast(last_day(month_start) as date) as month_end
    from (
        select unnest(generate_series(date_trunc('month', first_date),
                                      date_trunc('month', last_date), interval 1 month))
            as month_start
        from bounds
    )
),

final as (
    select
        agents.team_id,
        any_value(agents.site_id) as site_id,
        months.month_start,
        count(*) filter (where agents.hire_date <= months.month_start
                         and coalesce(agents.termination_date, date '9999-12-31')
                             >= months.month_start) as headcount_start,
        count(*) filter (where agents.hire_date <= months.month_end
                         and coalesce(agents.termination_date, date '9999-12-31')
                             > months.month_end) as headcount_end,
        count(*) filter (where agents.termination_date between months.month_start
                                                          and months.month_end) as leavers
    from agents
    cross join months
    group by agents.team_id, months.month_start
)

select * from final
