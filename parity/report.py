"""The static report of one serving snapshot (the "communications hub").

One self-contained HTML file: the data are embedded as JSON and the charts drawn as SVG by a
few lines of inline JavaScript, so it opens offline, from disk, with no CDN. It reads the
serving copy read-only, never the warehouse.
"""

from __future__ import annotations

import datetime as dt
import decimal
import html
import json
from pathlib import Path

import duckdb

PILLARS = ("efficiency", "customer_experience", "agent_performance", "quality")
CHART_METRICS = (("aht", "voice"), ("csat", "voice"), ("fcr_repeat", "voice"),
                 ("qa_score", "voice"), ("schedule_adherence", "all"))
FUNNEL_METRICS = (("fcr_repeat", "voice"), ("csat", "voice"), ("transfer_rate", "voice"))
ASSET_DIR = Path(__file__).with_name("report_assets")


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return str(value)


def report_data(database: Path) -> dict:
    """Everything the page shows, read from one snapshot."""
    with duckdb.connect(str(database), read_only=True) as con:
        period = _rows(con, "select * from benchmarks.bm_periods")[0]
        metrics = _rows(con, "select metric_name, label, pillar, unit, scale, direction, "
                             "definition from marts.dim_metrics order by pillar, metric_name")
        scorecard = _rows(con, """
            select s.scope_type, s.scope_id, s.metric_name, s.channel, s.shrunk_value,
                   s.peer_median, s.is_champion, s.events, s.is_rankable,
                   coalesce(g.is_credible, false) as has_gap, t.site_id
            from benchmarks.bm_scores s
            left join benchmarks.bm_gaps g
              on g.scope_type = s.scope_type and g.scope_id = s.scope_id
             and g.metric_name = s.metric_name and g.channel = s.channel
             and g.benchmark_kind = 'internal_top_quartile'
            left join marts.dim_teams t on s.scope_type = 'team' and t.team_id = s.scope_id
            where s.scope_type in ('site', 'team')
            order by s.scope_type desc, s.scope_id""")
        distributions = []
        for metric, channel in CHART_METRICS:
            for peer in _rows(con, """
                    select * from benchmarks.bm_peer_percentiles
                    where scope_type = 'agent' and metric_name = ? and channel = ?
                    order by peer_group""", [metric, channel]):
                values = [r["v"] for r in _rows(con, """
                    select shrunk_value as v from benchmarks.bm_scores
                    where scope_type = 'agent' and is_rankable and metric_name = ?
                      and channel = ? and peer_group = ? order by 1""",
                    [metric, channel, peer["peer_group"]])]
                distributions.append({**peer, "values": values})
        funnels = []
        for metric, channel in FUNNEL_METRICS:
            for group in _rows(con, """
                    select peer_group, sum(numerator) / sum(denominator) as peer_rate
                    from benchmarks.bm_scores
                    where scope_type = 'agent' and metric_name = ? and channel = ?
                    group by 1 order by 1""", [metric, channel]):
                points = _rows(con, """
                    select scope_id, denominator as n, raw_value as rate
                    from benchmarks.bm_scores
                    where scope_type = 'agent' and metric_name = ? and channel = ?
                      and peer_group = ? and denominator > 0 order by 1""",
                    [metric, channel, group["peer_group"]])
                funnels.append({"metric_name": metric, "channel": channel, **group,
                                "points": points})
        gaps = _rows(con, """
            select scope_type, scope_id, metric_name, channel, benchmark_kind, benchmark_source,
                   value, benchmark_value, gap_low, gap_high, concentrates_in,
                   concentration_share, impact_per_month, impact_unit, priority_rank
            from benchmarks.bm_gaps
            where is_credible and scope_type in ('team', 'site')
            order by relative_gap desc limit 25""")
        signals = _rows(con, "select signal, scope_type, scope_id, contact_reason, evidence "
                             "from benchmarks.bm_signals order by signal, scope_id")
        targets = _rows(con, """
            select scope_type, scope_id, metric_name, channel, baseline_value, target_value,
                   value_to_date, progress_share, start_date, due_date, guardrail_metric,
                   is_guardrail_respected
            from benchmarks.bm_target_progress
            where start_date = (select max(start_date) from benchmarks.bm_target_progress)
            order by scope_type desc, scope_id, metric_name""")
        actions = _rows(con, "select scope_type, scope_id, action_type, action, contact_reason, "
                             "evidence, expected_effect, issued_on from benchmarks.bm_actions "
                             "order by scope_type desc, scope_id")
    data = {"period": period, "metrics": metrics, "scorecard": scorecard,
            "distributions": distributions, "funnels": funnels, "gaps": gaps,
            "signals": signals, "targets": targets, "actions": actions,
            "pillars": list(PILLARS)}
    return json.loads(json.dumps(_no_nan(data), default=_jsonable))


def _no_nan(value):
    """NaN (which JSON cannot carry) as null, anywhere in the data."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_nan(v) for v in value]
    return value


def render(database: Path, title: str = "Parity report") -> str:
    data = report_data(database)
    # "<" escaped so no value can close the script element.
    payload = json.dumps(data, sort_keys=True).replace("<", "\\u003c")
    template = (ASSET_DIR / "report.html").read_text(encoding="utf-8")
    return (template.replace("{{title}}", html.escape(title))
            .replace("{{style}}", (ASSET_DIR / "report.css").read_text(encoding="utf-8"))
            .replace("{{script}}", (ASSET_DIR / "report.js").read_text(encoding="utf-8"))
            .replace("{{data}}", payload))


def write_report(database: Path, out: Path, title: str = "Parity report") -> Path:
    """Write the report next to its snapshot, atomically (temporary file, then rename)."""
    partial = out.with_name(f".{out.name}.partial")
    partial.write_text(render(database, title), encoding="utf-8")
    partial.replace(out)
    return out
