"""The one Dagster code location: composition only."""

import dagster as dg

from assets.dbt import parity_dbt_models
from assets.raw import raw_assets
from checks.raw import raw_checks
from orchestration.resources import dbt_resource, warehouse_resource

defs = dg.Definitions(
    assets=[*raw_assets, parity_dbt_models],
    asset_checks=[*raw_checks],
    resources={"warehouse": warehouse_resource(), "dbt": dbt_resource()},
    # One process runs every step in turn: DuckDB allows a single writer (STACK.md trap 2).
    executor=dg.in_process_executor,
)
