"""The metric catalogue, read from its one home: dbt_project/seeds/metric_catalogue.csv.

dbt loads the same file as the `metric_catalogue` seed (feeding `dim_metrics` and the dbt docs);
this module gives it to the Dagster asset descriptions and to docs/metrics.md.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "metric_catalogue.csv"


@cache
def metrics() -> tuple[dict[str, str], ...]:
    with CATALOGUE.open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def markdown_table() -> str:
    head = ("| metric | pillar | definition | numerator / denominator | unit | better | "
            "min. sample | configuration |\n|---|---|---|---|---|---|---|---|")
    rows = [f"| `{m['metric_name']}` {m['label']} | {m['pillar']} | {m['definition']} | "
            f"{m['numerator']} / {m['denominator']} | {m['unit']} | {m['direction']} | "
            f"{m['minimum_sample']} | {m['depends_on'] or '-'} |" for m in metrics()]
    return "\n".join([head, *rows])
