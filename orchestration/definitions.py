"""The one Dagster code location: composition only."""

import dagster as dg

from assets.dbt import parity_dbt_models
from assets.raw import raw_assets
from assets.serving import serving_report, serving_snapshot
from checks.quality import quality_checks
from checks.raw import raw_checks
from orchestration.jobs import nightly_job
from orchestration.resources import dbt_resource, warehouse_resource
from orchestration.schedules import nightly_schedule
from orchestration.sensors import landing_sensor, run_failure_alert

defs = dg.Definitions(
    assets=[*raw_assets, parity_dbt_models, serving_snapshot, serving_report],
    asset_checks=[*raw_checks, *quality_checks],
    jobs=[nightly_job],
    schedules=[nightly_schedule],
    sensors=[landing_sensor, run_failure_alert],
    resources={"warehouse": warehouse_resource(), "dbt": dbt_resource()},
    # One process runs every step in turn: DuckDB allows a single writer (STACK.md trap 2).
    executor=dg.in_process_executor,
)
