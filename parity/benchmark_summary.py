"""The benchmark part of the end-of-demo summary: signals, champions, top gaps, targets, actions."""

from __future__ import annotations

from pathlib import Path

import duckdb

TOP_GAPS = 10
# One or two headline metrics per pillar for the site scorecard: (metric, channel, label).
SCORECARD = (("fcr_repeat", "voice", "FCR"), ("aht", "voice", "AHT"), ("csat", "voice", "CSAT"),
             ("qa_score", "voice", "QA"), ("schedule_adherence", "all", "adherence"),
             ("occupancy", "all", "occupancy"), ("shrinkage", "all", "shrinkage"))


def _fmt(value: float | None, unit: str, scale: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:.1%}" if unit == "ratio" else f"{value * scale:,.1f}"


def _has_benchmarks(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("select count(*) from information_schema.tables where "
                       "table_schema = 'benchmarks' and table_name = 'bm_gaps'").fetchone()[0] > 0


def benchmark_lines(warehouse: Path) -> list[str]:
    """Lines for the summary; empty when the benchmark layer is not built."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if not _has_benchmarks(con):
            return []
        start, end, as_of = con.execute(
            "select review_start, review_end, as_of from benchmarks.bm_periods").fetchone()
        lines = ["", f"Benchmarks: review period {start} to {end} (data to {as_of})", ""]
        signals = con.execute("""
            select signal, scope_type, scope_id, coalesce(contact_reason, ''), evidence
            from benchmarks.bm_signals order by signal, scope_type, scope_id""").fetchall()
        lines.append(f"Signals found ({len(signals)}):")
        lines += [f"  {signal:<15} {scope} {sid:<8} {reason:<22} {evidence}"
                  for signal, scope, sid, reason, evidence in signals] or ["  none"]
        champions = con.execute("""
            select scope_type, scope_id, list(metric_name order by metric_name)
            from benchmarks.bm_scores where is_champion and scope_type in ('team', 'site')
            group by all order by 1, 2""").fetchall()
        agent_champions = con.execute("select count(distinct scope_id) from benchmarks.bm_scores "
                                      "where is_champion and scope_type = 'agent'").fetchone()[0]
        lines += ["", f"Internal champions: {agent_champions} agents; teams and sites:"]
        lines += [f"  {scope} {sid:<8} {', '.join(metrics)}"
                  for scope, sid, metrics in champions] or ["  none"]
        gaps = con.execute("""
            select g.scope_type, g.scope_id, g.metric_name, g.channel, g.benchmark_kind,
                   g.value, g.benchmark_value, m.unit, m.scale, g.impact_per_month,
                   g.impact_unit,
                   g.concentrates_in
            from benchmarks.bm_gaps g join marts.dim_metrics m using (metric_name)
            where g.is_credible and g.scope_type in ('team', 'site')
            order by g.impact_per_month / nullif(g.benchmark_value, 0) desc nulls last,
                     g.relative_gap desc
            limit ?""", [TOP_GAPS]).fetchall()
        lines += ["", "Top credible gaps of teams and sites:"]
        lines += [f"  {scope} {sid:<6} {metric:<20} {channel:<6} {_fmt(value, unit, sc):>9} vs "
                  f"{kind} {_fmt(bench, unit, sc):>9}  impact {impact or 0:,.0f} {impact_unit}"
                  f"{'  (mostly ' + reason + ')' if reason else ''}"
                  for scope, sid, metric, channel, kind, value, bench, unit, sc, impact,
                  impact_unit, reason in gaps] or ["  none"]
        lines += _site_scorecard(con) + _cohort_lines(con)
        targets, scopes, starts, due = con.execute("""
            select count(*), count(distinct scope_type || scope_id), min(start_date),
                   max(due_date) from benchmarks.bm_targets
            where start_date = (select max(start_date) from benchmarks.bm_targets)""").fetchone()
        actions = con.execute("select action_type, count(*) from benchmarks.bm_actions "
                              "group by 1 order by 1").fetchall()
        lines += ["", f"Targets set: {targets} for {scopes} agents and teams, from {starts} "
                      f"due {due}",
                  "Open actions: " + (", ".join(f"{n} {kind}" for kind, n in actions) or "none")]
    return lines


def _site_scorecard(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Each site's adjusted, shrunk value of the headline metrics; * marks a credible gap to the
    internal top quartile."""
    rows = con.execute("""
        select g.scope_id, g.metric_name, g.channel, g.value, m.unit, m.scale, g.is_credible
        from benchmarks.bm_gaps g join marts.dim_metrics m using (metric_name)
        where g.scope_type = 'site' and g.benchmark_kind = 'internal_top_quartile'""").fetchall()
    cells = {(site, metric, channel): f"{_fmt(value, unit, scale)}{'*' if credible else ' '}"
             for site, metric, channel, value, unit, scale, credible in rows}
    sites = sorted({site for site, *_ in rows})
    if not sites:
        return []
    head = "".join(f"{label:>11} " for *_, label in SCORECARD)
    lines = ["", "Site scorecard, review period (voice; case-mix adjusted and shrunk; * = credible "
             "gap to the internal top quartile):", f"  {'site':<6}{head}"]
    lines += [f"  {site:<6}" + "".join(f"{cells.get((site, metric, channel), '- '):>12}"
                                       for metric, channel, _ in SCORECARD) for site in sites]
    return lines


def _cohort_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """New-hire cohorts: handle time against the tenured agents, and time to proficiency."""
    rows = con.execute("""
        select hire_cohort, sum(new_hires),
               sum(aht_relative_to_tenured * new_hires)
                   / sum(new_hires) filter (where aht_relative_to_tenured is not null),
               sum(reached_proficiency),
               sum(mean_days_to_proficiency * reached_proficiency)
                   / nullif(sum(reached_proficiency), 0)
        from benchmarks.bm_proficiency_cohorts group by 1 order by 1""").fetchall()
    if not rows:
        return []
    lines = ["", "New-hire cohorts (handle time relative to tenured agents, time to proficiency):"]
    for cohort, hires, relative, reached, days in rows:
        days_text = f", {days:.0f} days on average" if days is not None else ""
        relative_text = f"{relative:.2f}x" if relative is not None else "-"
        lines.append(f"  {str(cohort)[:7]}  {hires} hires  AHT {relative_text}  "
                     f"{reached} proficient{days_text}")
    return lines
