"""Do the raw SQL floor, the pandas script and Parity's marts give the same numbers?

The five metrics at the grains of floor.sql, read from marts.fct_metric_values (summing its
numerators and denominators over channel, contact reason and priority), and compared row by
row with a full outer join: a row on one side only counts as a mismatch.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

METRICS = ("aht", "csat", "fcr_repeat", "abandonment_rate", "service_level")
AGENT_METRICS = ("aht", "csat", "fcr_repeat")

MARTS_SQL = """
select metric_name, business_date, agent_id, null::varchar as channel,
       sum(numerator) as numerator, sum(denominator) as denominator
from marts.fct_metric_values
where metric_name in ('aht', 'csat', 'fcr_repeat')
group by all
union all
select metric_name, business_date, null, channel, sum(numerator), sum(denominator)
from marts.fct_metric_values
where metric_name in ('abandonment_rate', 'service_level')
group by all
"""

COMPARE_SQL = """
select
    coalesce(a.metric_name, b.metric_name) as metric_name,
    count(*) as rows,
    count(*) filter (where a.metric_name is null) as only_right,
    count(*) filter (where b.metric_name is null) as only_left,
    count(*) filter (where a.metric_name is null or b.metric_name is null
                     or abs(a.numerator - b.numerator) > 1e-9
                     or abs(a.denominator - b.denominator) > 1e-9) as rows_differing,
    coalesce(max(abs(a.numerator - b.numerator)), 0) as max_numerator_diff,
    coalesce(max(abs(a.denominator - b.denominator)), 0) as max_denominator_diff,
    coalesce(max(abs(a.numerator / a.denominator - b.numerator / b.denominator)), 0)
        as max_value_diff
from left_side as a
full outer join right_side as b
    on a.metric_name = b.metric_name
    and a.business_date = b.business_date
    and a.agent_id is not distinct from b.agent_id
    and a.channel is not distinct from b.channel
group by all
order by metric_name
"""


def marts(warehouse: Path):
    """The five metrics from Parity's marts, as an Arrow table."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(MARTS_SQL).to_arrow_table()


def compare(left, right) -> dict[str, dict]:
    """Per metric: rows compared, rows on one side only, largest absolute differences of
    numerator, denominator and value (numerator / denominator). Arrow tables or frames."""
    with duckdb.connect() as con:
        con.register("left_side", left)
        con.register("right_side", right)
        rows = con.sql(COMPARE_SQL).fetchall()
        columns = [d[0] for d in con.sql(COMPARE_SQL).description]
    return {row[0]: dict(zip(columns[1:], row[1:])) for row in rows}


def agrees(result: dict[str, dict], tolerance: float = 1e-9) -> bool:
    """Every row on both sides, equal to the tolerance. A metric with no rows on either side
    (FCR when the data is shorter than its window) has nothing to disagree on."""
    return set(result) <= set(METRICS) and all(
        r["only_left"] == 0 and r["only_right"] == 0 and r["max_numerator_diff"] <= tolerance
        and r["max_denominator_diff"] <= tolerance and r["max_value_diff"] <= tolerance
        for r in result.values())
