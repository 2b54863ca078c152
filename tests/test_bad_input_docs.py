"""docs/bad-input.md lists exactly the kinds the corpus tests, each with what Parity does."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from .ingest_helpers import CORPUS

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "bad-input.md"
ROW = re.compile(r"^\| `([a-z0-9_]+)` \| `([a-z_]+)` \| (.+?) \| (.+) \|$")
CORPUS_MODULES = ["test_ingest_bad_input"] + sorted(
    p.stem for p in (REPO / "tests").glob("test_bad_input_*.py"))


def _corpus() -> dict[str, tuple[str, str, str]]:
    for name in CORPUS_MODULES:  # importing a module registers its kinds
        importlib.import_module(f"tests.{name}")
    return CORPUS


def _documented() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            kind_id, source, _, does = match.groups()
            assert kind_id not in rows, f"{kind_id} listed twice in {DOC.name}"
            rows[kind_id] = (source, does)
    return rows


def test_every_tested_kind_is_documented_and_every_documented_kind_is_tested():
    tested, documented = _corpus(), _documented()
    assert sorted(set(tested) - set(documented)) == [], "tested but not in docs/bad-input.md"
    assert sorted(set(documented) - set(tested)) == [], "documented but no test registers it"
    assert len(tested) >= 40


def test_the_docs_say_what_the_tests_prove():
    documented = _documented()
    for kind_id, (source, outcome, detail) in _corpus().items():
        doc_source, does = documented[kind_id]
        assert doc_source == source, kind_id
        assert does.startswith(outcome), (kind_id, does)
        assert detail in does, (kind_id, detail, does)


def test_the_corpus_covers_all_six_sources():
    assert {source for source, _, _ in _corpus().values()} == {
        "crm_interactions", "qa_evaluations", "wfm_schedules", "wfm_agent_states", "surveys",
        "agents"}
