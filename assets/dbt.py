"""The dbt models as Dagster assets; dbt tests arrive as asset checks."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource,
                         dbt_assets)

from orchestration.project import dbt_project
from parity.catalogue import markdown_table


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


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=ParityTranslator(
        settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
)
def parity_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Build (run and test) every selected dbt model."""
    yield from dbt.cli(["build"], context=context).stream()
