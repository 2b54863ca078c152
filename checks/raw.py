"""Asset checks on the raw tables: reconciliation (blocking), rejected files, references."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.partitions import WAREHOUSE_POOL
from parity.contract import (AGENTS, CRM_INTERACTIONS, QA_EVALUATIONS, SOURCES, SURVEYS,
                             WFM_AGENT_STATES, WFM_SCHEDULES)
from parity.ingest.tables import ensure_tables, ident, raw_table

AGENT_REFERENCES = (CRM_INTERACTIONS, QA_EVALUATIONS, WFM_SCHEDULES, WFM_AGENT_STATES)
INTERACTION_REFERENCES = (QA_EVALUATIONS, SURVEYS)


def reconciliation_failures(con, source: str) -> list[tuple]:
    """Files whose rows read != loaded + quarantined, or whose tables disagree with the ledger."""
    return con.execute(f"""
        with ledger as (
            select file_name, business_date, status, rows_read, rows_loaded, rows_quarantined
            from ingest.ledger where source = ? and (active or status = 'rejected')),
        loaded as (
            select _source_file as file_name, _business_date as business_date, count(*) n
            from {raw_table(source)} group by all),
        quarantined as (
            select file_name, business_date, count(*) n from ingest.quarantine
            where source = ? group by all)
        select l.file_name, l.business_date, l.rows_read, l.rows_loaded, l.rows_quarantined,
               coalesce(r.n, 0) as in_raw, coalesce(q.n, 0) as in_quarantine
        from ledger l
        left join loaded r on r.file_name = l.file_name and r.business_date = l.business_date
            and l.status <> 'rejected'
        left join quarantined q on q.file_name = l.file_name
            and q.business_date = l.business_date and l.status <> 'rejected'
        where l.rows_read <> l.rows_loaded + l.rows_quarantined
           or coalesce(r.n, 0) <> l.rows_loaded
           or (l.status <> 'rejected' and coalesce(q.n, 0) <> l.rows_quarantined)
        order by 2, 1
    """, [source, source]).fetchall()


def build_checks(source: str) -> list[dg.AssetChecksDefinition]:
    key = dg.AssetKey(["raw", source])

    @dg.asset_check(asset=key, pool=WAREHOUSE_POOL, name="rows_reconcile", blocking=True,
                    description="Per file: rows read = rows loaded + rows quarantined, and "
                                "the raw and quarantine tables hold exactly those rows.")
    def rows_reconcile(warehouse: DuckDBResource) -> dg.AssetCheckResult:
        with warehouse.get_connection() as con:
            ensure_tables(con)
            bad = reconciliation_failures(con, source)
            files = con.execute("select count(*) from ingest.ledger where source = ? "
                                "and active", [source]).fetchone()[0]
        return dg.AssetCheckResult(
            passed=not bad, severity=dg.AssetCheckSeverity.ERROR,
            metadata={"files_checked": files, "files_failing": len(bad),
                      "failing": "; ".join(f"{f} ({d}): read {r}, loaded {lo}, quarantined "
                                           f"{q}, in raw {ir}, in quarantine {iq}"
                                           for f, d, r, lo, q, ir, iq in bad[:10]) or "none"})

    @dg.asset_check(asset=key, pool=WAREHOUSE_POOL, name="no_rejected_files", blocking=False,
                    description="No landed file of this source was rejected whole.")
    def no_rejected_files(warehouse: DuckDBResource) -> dg.AssetCheckResult:
        with warehouse.get_connection() as con:
            ensure_tables(con)
            rejected = con.execute(
                "select file_name, error from ingest.ledger l where source = ? and "
                "status = 'rejected' and not exists (select 1 from ingest.ledger a where "
                "a.source = l.source and a.business_date = l.business_date and a.active "
                "and a.loaded_at > l.loaded_at) order by file_name", [source]).fetchall()
        return dg.AssetCheckResult(
            passed=not rejected, severity=dg.AssetCheckSeverity.ERROR,
            metadata={"rejected_files": len(rejected),
                      "errors": "; ".join(e for _, e in rejected[:10]) or "none"})

    checks = [rows_reconcile, no_rejected_files]
    if source in AGENT_REFERENCES:
        checks.append(_reference_check(key, source, "agent_id", raw_table(AGENTS),
                                       "known_agents", "agent ids unknown to the roster"))
    if source in INTERACTION_REFERENCES:
        checks.append(_reference_check(key, source, "interaction_id",
                                       raw_table(CRM_INTERACTIONS), "known_interactions",
                                       "interaction ids unknown to crm_interactions"))
    return checks


def _reference_check(key, source, column, target, name, what):
    @dg.asset_check(asset=key, pool=WAREHOUSE_POOL, name=name, blocking=False,
                    description=f"Reports {what} (warns, never blocks).")
    def _check(warehouse: DuckDBResource) -> dg.AssetCheckResult:
        with warehouse.get_connection() as con:
            ensure_tables(con)
            col = ident(column)
            unknown = con.execute(
                f"select count(*), list(distinct {col})[1:10] from {raw_table(source)} "
                f"where {col} is not null and {col} not in (select {col} from {target})"
            ).fetchone()
        return dg.AssetCheckResult(
            passed=unknown[0] == 0, severity=dg.AssetCheckSeverity.WARN,
            metadata={"rows_with_unknown_reference": unknown[0],
                      "examples": ", ".join(unknown[1] or []) or "none"})

    return _check


raw_checks = tuple(check for source in SOURCES for check in build_checks(source))
