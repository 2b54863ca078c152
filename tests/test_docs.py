"""Documentation derived from code stays current."""

from pathlib import Path

from parity.contract import FIELDS
from parity.catalogue import metrics
from parity.docs import render, render_metrics

REPO = Path(__file__).resolve().parents[1]


def test_extract_contract_page_is_current():
    page = (REPO / "docs" / "extract-contract.md").read_text(encoding="utf-8")
    assert page == render(), "run `python -m parity.docs` and commit docs/extract-contract.md"
    for source, fields in FIELDS.items():
        assert f"## `{source}`" in page
        assert all(f"| `{f.name}` |" in page for f in fields)


def test_metrics_page_is_current_and_lists_every_spec_metric():
    page = (REPO / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert page == render_metrics(), "run `python -m parity.docs` and commit docs/metrics.md"
    names = {m["metric_name"] for m in metrics()}
    assert len(names) == 19 and {"fcr_repeat", "fcr_survey", "aht", "csat", "nps",
                                 "schedule_adherence", "time_to_proficiency"} <= names


def test_semantic_layer_yaml_is_current():
    from parity.semantic import TARGET, render as render_semantic

    assert TARGET.read_text(encoding="utf-8") == render_semantic(), \
        "run `python -m parity.semantic` and commit dbt_project/models/marts/_semantic.yml"
