"""The one Dagster code location: composition only."""

from __future__ import annotations

import dagster as dg

from assets.landing import landing_files
from checks.landing import landing_files_cover_every_source
from orchestration.resources import warehouse_resource

defs = dg.Definitions(
    assets=[landing_files],
    asset_checks=[landing_files_cover_every_source],
    resources={"warehouse": warehouse_resource()},
)
