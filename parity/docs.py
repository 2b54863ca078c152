"""Renders the derived pages of docs/: ``python -m parity.docs``.

The contract is written once (parity/contract.py), the metric catalogue once
(dbt_project/seeds/metric_catalogue.csv); these pages derive from them and a test fails when a
committed page is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from parity.catalogue import markdown_table
from parity.contract import CODE_PATTERN, EXTERNAL_BENCHMARK_FIELDS, FIELDS, KEYS, Field

INTRO = """# The extract contract

Generated from `parity/contract.py` by `python -m parity.docs`; do not edit by hand.

Each source lands as files under `<landing>/<source>/`, CSV (UTF-8, header row) or Parquet,
one file per business date (the date in the file name, `YYYY-MM-DD` or `YYYYMMDD`, or read from
the first row when a mapping says so). A vendor export that does not match is described by a
mapping (see [mappings.md](mappings.md)), not by code.

Types: `string`; `int` (whole seconds for durations); `bool` (`true`/`false`, also `1`/`0`,
`yes`/`no`); `date` (`YYYY-MM-DD`); `timestamp`: an instant, ISO-8601 with a UTC offset
(`2026-01-05T07:01:02-05:00`), or a local time when the mapping declares the source's
`timezone`. Ids and codes (marked *code*) must start with a letter or digit and contain only
letters, digits and `_ . : / -` or spaces (`{pattern}`), so no value can start a spreadsheet
formula. Fields marked PII are replaced by a keyed hash before the warehouse.
"""


def _row(f: Field) -> str:
    rules = []
    if f.allowed:
        rules.append("one of " + ", ".join(f"`{a}`" for a in f.allowed))
    if f.minimum is not None:
        rules.append(f">= {f.minimum}")
    if f.maximum is not None:
        rules.append(f"<= {f.maximum}")
    if f.code:
        rules.append("code")
    if f.pii:
        rules.append("**PII**")
    if f.type == "timestamp":
        rules.append("not in the future")
    required = "required" if f.required else "optional"
    return (f"| `{f.name}` | {f.type} | {required} | {f.meaning} | {'; '.join(rules)} | "
            f"`{f.example}` |")


def render() -> str:
    parts = [INTRO.format(pattern=CODE_PATTERN)]
    head = "| field | type | required | meaning | allowed values | example |\n|---|---|---|---|---|---|"
    for source, fields in FIELDS.items():
        keys = ", ".join(f"`{k}`" for k in KEYS[source])
        parts.append(f"## `{source}`\n\nKey: {keys} (unique in a file"
                     f"{'' if source == 'agents' else ' and across files'}).\n\n{head}")
        parts.append("\n".join(_row(f) for f in fields))
    parts.append("## `external_benchmarks` (shipped reference table)\n\nIndustry reference "
                 "figures, each with its source and year; a figure older than the configured "
                 "age is flagged stale. Vendor-marketing figures are marked as such.\n\n" + head)
    parts.append("\n".join(_row(f) for f in EXTERNAL_BENCHMARK_FIELDS))
    return "\n\n".join(parts) + "\n"


def render_metrics() -> str:
    return ("# The metric catalogue\n\nGenerated from `dbt_project/seeds/metric_catalogue.csv` "
            "by `python -m parity.docs`; do not edit by hand. Every metric is stored as "
            "numerator and denominator at the finest grain (`marts.fct_metric_values`) and "
            "rolled up by summing both (`marts.fct_metric_rollups`); the configuration in force "
            "is recorded on every row (`metric_config`).\n\n" + markdown_table() + "\n")


PAGES = {"extract-contract.md": render, "metrics.md": render_metrics}


def main() -> int:
    docs = Path(__file__).resolve().parents[1] / "docs"
    for name, renderer in PAGES.items():
        (docs / name).write_text(renderer(), encoding="utf-8")
        print(f"wrote {docs / name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
