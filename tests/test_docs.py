"""Documentation derived from code stays current."""

from pathlib import Path

from parity.contract import FIELDS
from parity.docs import render

REPO = Path(__file__).resolve().parents[1]


def test_extract_contract_page_is_current():
    page = (REPO / "docs" / "extract-contract.md").read_text(encoding="utf-8")
    assert page == render(), "run `python -m parity.docs` and commit docs/extract-contract.md"
    for source, fields in FIELDS.items():
        assert f"## `{source}`" in page
        assert all(f"| `{f.name}` |" in page for f in fields)
