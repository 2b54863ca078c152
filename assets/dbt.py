"""The dbt models as Dagster assets; dbt tests arrive as asset checks.

The dbt assets share the raw assets' daily partitions and single-run backfill policy, so one run
covers a day or a whole range. The run passes its partition window to dbt as the vars
window_start / window_end: the incremental models (the large facts) rebuild those dates (widened
by incremental_lookback_days); views, dimensions and the other tables are rebuilt whole. One
dbt build per run keeps dbt's own ordering of models and tests.
"""

import json
import warnings
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource,
                         dbt_assets)

from orchestration.partitions import WAREHOUSE_POOL, daily
from orchestration.project import dbt_project
from parity import faults
from parity.catalogue import markdown_table

PAUSE_AFTER_RESULTS = 12
"""Fault injection only: the dbt results (models, tests) after which PARITY_PAUSE_AT=dbt_build
freezes the build, well before its last model."""


class ParityTranslator(DagsterDbtTranslator):
    """Keys and groups come from dbt metadata: the schema a node builds in is its layer."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)  # meta.dagster.asset_key
        return dg.AssetKey([dbt_resource_props["config"]["schema"], dbt_resource_props["name"]])

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        """Models whose meta asks for it carry the metric catalogue in their description."""
        meta = dbt_resource_props.get("config", {}).get("meta", {}) or {}
        if meta.get("parity", {}).get("describe_catalogue"):
            return f"{dbt_resource_props['description']}\n\n{markdown_table()}"
        return super().get_description(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("config", {}).get("schema")


# Single-run backfills are marked beta in Dagster 1.13.
warnings.filterwarnings("ignore", category=dg.BetaWarning)

TRANSLATOR = ParityTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


class DbtBuildConfig(dg.Config):
    """Run configuration of the dbt build (set it in the launchpad of the Dagster UI)."""

    full_refresh: bool = False
    """Drop and rebuild the incremental models: needed once after their columns change. With a
    partition window, a full refresh keeps only the window's dates, so run it on the whole range."""


def window_vars(context: dg.AssetExecutionContext) -> dict[str, str]:
    """The run's partition window as dbt vars: ISO dates, end exclusive."""
    window = context.partition_time_window
    return {"window_start": window.start.date().isoformat(),
            "window_end": window.end.date().isoformat()}


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    partitions_def=daily,
    backfill_policy=dg.BackfillPolicy.single_run(),
    dagster_dbt_translator=TRANSLATOR,
    pool=WAREHOUSE_POOL,
)
def parity_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource,
                      config: DbtBuildConfig):
    """Build (run and test) the selected models for the run's dates."""
    args = ["build", "--vars", json.dumps(window_vars(context))]
    if config.full_refresh:
        args.append("--full-refresh")
    invocation = dbt.cli(args, context=context)
    for built, event in enumerate(invocation.stream(), start=1):
        yield event
        if built == PAUSE_AFTER_RESULTS:
            faults.pause_at(faults.DBT_BUILD, freeze=(invocation.process.pid,))
