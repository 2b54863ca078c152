"""Raw assets: one per source, loading landed files for each business day into ``raw.<source>``."""

import datetime as dt
import warnings

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from orchestration.partitions import WAREHOUSE_POOL, daily
from parity import faults, settings
from parity.contract import AGENTS, CRM_INTERACTIONS, SOURCES
from parity.ingest.files import landed_files
from parity.ingest.loader import load_file
from parity.ingest.mapping import load_mapping
from parity.ingest.pii import KEY_ENV, Pseudonymizer
from parity.ingest.tables import WarehouseWriteError, ensure_tables, ident, raw_table

# Single-run backfills (one run loads a whole range of days) are marked beta in Dagster 1.13.
warnings.filterwarnings("ignore", category=dg.BetaWarning)

UPSTREAM = {AGENTS: [], CRM_INTERACTIONS: [AGENTS]}
"""Load order, so referential checks see the roster and contacts of the same run."""

DESCRIPTIONS = {
    "crm_interactions": "One row per contact leg (call, chat, email) from the CRM / ACD.",
    "qa_evaluations": "One row per scorecard item of a QA evaluation.",
    "wfm_schedules": "One row per scheduled WFM activity segment.",
    "wfm_agent_states": "One row per actual agent state segment.",
    "surveys": "One row per customer survey response.",
    "agents": "One row per agent per roster snapshot (HR roster).",
}


def partition_dates(context: dg.AssetExecutionContext) -> set[dt.date]:
    window = context.partition_time_window
    day, end = window.start.date(), window.end.date()
    dates = set()
    while day < end:
        dates.add(day)
        day += dt.timedelta(days=1)
    return dates


def write_failure(exc: BaseException) -> BaseException | None:
    """The error in ``exc``'s chain that says the warehouse's files could not be written (a
    full disk, a file-size limit, a read-only mount), if any. DuckDB reports it as an IO error
    or inside a failed commit, and a rollback after the failed commit may raise on top of it."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, (OSError, duckdb.IOException)) or (
                isinstance(seen, duckdb.Error) and "Could not write file" in str(seen)):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _markdown(rows: list[tuple], columns: list[str]) -> str:
    head = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns)
    body = "\n".join("| " + " | ".join("" if v is None else str(v) for v in r) + " |"
                     for r in rows)
    return f"{head}\n{body}"


def build_raw_asset(source: str) -> dg.AssetsDefinition:
    deps = [dg.AssetKey(["raw", d]) for d in UPSTREAM.get(source, [CRM_INTERACTIONS])]

    @dg.asset(
        key=["raw", source],
        group_name="raw",
        partitions_def=daily,
        pool=WAREHOUSE_POOL,
        backfill_policy=dg.BackfillPolicy.single_run(),
        deps=deps,
        kinds={"duckdb", "pandera"},
        description=f"{DESCRIPTIONS[source]} Loaded from the landing folder through the "
                    "source's mapping, validated with pandera; invalid rows go to "
                    "ingest.quarantine, every file to ingest.ledger; PII pseudonymized.",
    )
    def _raw(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
        dates = partition_dates(context)
        mapping = load_mapping(source, settings.mappings_dir())
        files = [f for f in landed_files(settings.landing_dir(), source, mapping)
                 if f.business_date in dates]
        pseudonymizer = Pseudonymizer()
        if pseudonymizer.development:
            context.log.warning(f"{KEY_ENV} is not set: PII is hashed with the DEVELOPMENT key "
                                f"(key id {pseudonymizer.key_id}); its pseudonyms are not "
                                "secret. Set it in production.")
        results = []
        try:
            with warehouse.get_connection() as con:
                ensure_tables(con)
                for landed in files:  # one transaction per file: a crash keeps whole files
                    results.append(load_file(con, landed, mapping, context.run.run_id,
                                             pseudonymizer))
                    faults.pause_at(faults.RAW_BETWEEN_FILES)
                preview = con.execute(
                    f"select * exclude (_run_id, _loaded_at) from {raw_table(source)} "
                    f"where _business_date between ? and ? order by _business_date, "
                    f"{ident('_line_number')} limit 5", [min(dates), max(dates)])
                rows, columns = preview.fetchall(), [d[0] for d in preview.description]
        except duckdb.Error as exc:
            cause = write_failure(exc)
            if cause is None:
                raise
            raise WarehouseWriteError.of(warehouse.database, cause) from exc
        for r in results:
            if r.status == "rejected":
                context.log.error(f"{source}: file rejected: {r.error}")
            elif r.rows_quarantined:
                context.log.warning(f"{source}: {r.file_name}: {r.rows_quarantined} of "
                                    f"{r.rows_read} rows quarantined (see ingest.quarantine)")
        return dg.MaterializeResult(metadata={
            "files": len(results),
            "files_loaded": sum(r.status == "loaded" for r in results),
            "files_unchanged": sum(r.status == "unchanged" for r in results),
            "files_rejected": sum(r.status == "rejected" for r in results),
            "rows_read": sum(r.rows_read for r in results),
            "rows_loaded": sum(r.rows_loaded for r in results),
            "rows_quarantined": sum(r.rows_quarantined for r in results),
            "rejected": "; ".join(r.error for r in results if r.error) or "none",
            "preview": dg.MetadataValue.md(_markdown(rows, columns)),
        })

    return _raw


raw_assets = tuple(build_raw_asset(source) for source in SOURCES)
