"""The one job: every asset, raw to serving, for a day or a range of days in a single run."""

import dagster as dg
from dagster._core.storage.tags import (ASSET_PARTITION_RANGE_END_TAG,
                                        ASSET_PARTITION_RANGE_START_TAG)

nightly_job = dg.define_asset_job(
    "parity_nightly",
    selection=dg.AssetSelection.all(),  # daily partitions, inferred from the assets
    description="Load the landed extracts of the run's business days, build and test every dbt "
                "model, compute the benchmarks, check them and publish the serving copy and "
                "the report.",
)


def range_tags(start: str, end: str) -> dict[str, str]:
    """Run tags that make one run cover the partitions start..end (a single-run backfill; the
    tags the Dagster UI and CLI set for a partition range, which RunRequest has no argument
    for)."""
    return {ASSET_PARTITION_RANGE_START_TAG: start, ASSET_PARTITION_RANGE_END_TAG: end}
