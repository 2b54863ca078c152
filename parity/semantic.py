"""Writes the MetricFlow semantic layer from the metric catalogue: ``python -m parity.semantic``.

One semantic model over ``fct_metric_values`` (numerator and denominator measures) and, per
catalogue metric with a scale of 1, a ratio metric of its filtered numerator over its filtered
denominator, so `mf query` gives the numbers the marts give. A test fails when the committed
YAML is out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from parity.catalogue import CATALOGUE, metrics

TARGET = Path(__file__).resolve().parents[1] / "dbt_project" / "models" / "marts" / "_semantic.yml"
ROW_KEY = ("metric_name || '|' || business_date || '|' || coalesce(agent_id, '-') || '|' || "
           "coalesce(channel, '-') || '|' || coalesce(contact_reason, '-') || '|' || "
           "coalesce(priority, '-')")
_METRIC_NAME = re.compile(r"[a-z][a-z0-9_]*")


def metric_name(name: str) -> str:
    """A catalogue metric name, refused unless a lower-case identifier: it becomes a MetricFlow
    metric name and a quoted literal in the SQL filter of its measures."""
    if not _METRIC_NAME.fullmatch(name):
        raise ValueError(f"{CATALOGUE.name}: metric_name {name!r} is not a lower-case "
                         "identifier ([a-z][a-z0-9_]*)")
    return name


def semantic_yaml() -> dict:
    semantic_model = {
        "name": "metric_values",
        "description": "Numerator and denominator of every catalogue metric (fct_metric_values).",
        "model": "ref('fct_metric_values')",
        "defaults": {"agg_time_dimension": "business_date"},
        "entities": [
            {"name": "metric_row", "type": "primary", "expr": ROW_KEY},
            {"name": "agent", "type": "foreign", "expr": "agent_id"},
            {"name": "team", "type": "foreign", "expr": "team_id"},
            {"name": "site", "type": "foreign", "expr": "site_id"},
        ],
        "dimensions": [
            {"name": "business_date", "type": "time", "type_params": {"time_granularity": "day"}},
            {"name": "metric_name", "type": "categorical"},
            {"name": "channel", "type": "categorical"},
            {"name": "contact_reason", "type": "categorical"},
        ],
        "measures": [
            {"name": "numerator_total", "agg": "sum", "expr": "numerator"},
            {"name": "denominator_total", "agg": "sum", "expr": "denominator"},
        ],
    }
    defined = []
    for m in metrics():
        if m["scale"] != "1":
            continue
        name = metric_name(m["metric_name"])
        where = f"{{{{ Dimension('metric_row__metric_name') }}}} = '{name}'"
        defined += [
            {"name": f"{name}_numerator", "label": f"{m['label']}: numerator", "type": "simple",
             "type_params": {"measure": "numerator_total"}, "filter": where},
            {"name": f"{name}_denominator", "label": f"{m['label']}: denominator",
             "type": "simple", "type_params": {"measure": "denominator_total"}, "filter": where},
            {"name": name, "label": m["label"], "description": m["definition"], "type": "ratio",
             "type_params": {"numerator": f"{name}_numerator",
                             "denominator": f"{name}_denominator"}},
        ]
    return {"version": 2, "semantic_models": [semantic_model], "metrics": defined}


def render() -> str:
    header = ("# Generated from dbt_project/seeds/metric_catalogue.csv by "
              "`python -m parity.semantic`; do not edit by hand.\n")
    return header + yaml.safe_dump(semantic_yaml(), sort_keys=False, width=100)


def main() -> int:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
