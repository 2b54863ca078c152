"""The generator's files: contract layout, determinism, formats and idempotent reruns."""

from __future__ import annotations

import csv
import hashlib
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from parity.cli import main as cli_main
from parity.contract import SOURCES, column_names
from parity.generator.run import GenerateOptions, generate

from .conftest import SMALL


def _digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_source_has_contract_header_in_order(landing):
    for source in SOURCES:
        files = sorted((landing / source).glob("*.csv"))
        assert files, source
        with files[0].open(newline="", encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == column_names(source)


def test_one_file_per_business_day_for_every_source(landing):
    for source in SOURCES:
        names = sorted(p.name for p in (landing / source).glob("*.csv"))
        assert len(names) == SMALL.days
        assert names[0] == f"{source}_{SMALL.start.isoformat()}.csv"


def test_same_seed_gives_byte_identical_files(landing, tmp_path):
    again = tmp_path / "again"
    generate(again, SMALL, progress=False)
    assert _digests(again) == _digests(landing)


def test_other_seed_gives_other_data(tmp_path):
    a = generate(tmp_path / "a", GenerateOptions(agents=24, days=3, seed=1), progress=False)
    b = generate(tmp_path / "b", GenerateOptions(agents=24, days=3, seed=2), progress=False)
    assert _digests(tmp_path / "a") != _digests(tmp_path / "b")
    assert a["planted"] != b["planted"] or a["totals"] != b["totals"]


def test_parquet_holds_the_same_rows_as_csv(tmp_path):
    options = dict(agents=24, days=3, seed=5)
    as_csv = generate(tmp_path / "csv", GenerateOptions(**options), progress=False)
    as_parquet = generate(tmp_path / "pq", GenerateOptions(**options, fmt="parquet"),
                          progress=False)
    assert {s: t["rows"] for s, t in as_csv["totals"].items()} == \
        {s: t["rows"] for s, t in as_parquet["totals"].items()}
    table = pq.read_table(next((tmp_path / "pq" / "crm_interactions").glob("*.parquet")))
    assert table.column_names == column_names("crm_interactions")
    offered = table.schema.field("offered_at").type
    assert pa.types.is_timestamp(offered) and offered.tz == "UTC"
    assert pa.types.is_int64(table.schema.field("talk_seconds").type)


def test_manifest_counts_match_the_files(landing, truth):
    for f in truth["files"]:
        path = landing / f["path"]
        assert path.stat().st_size == f["bytes"]
        with path.open(newline="", encoding="utf-8") as handle:
            assert sum(1 for _ in csv.reader(handle)) - 1 == f["rows"]


def test_rerun_with_same_options_skips_and_force_rewrites(tmp_path):
    out = tmp_path / "land"
    options = GenerateOptions(agents=24, days=2, seed=3)
    generate(out, options, progress=False)
    probe = next((out / "crm_interactions").glob("*.csv"))
    probe.write_text("tampered but same size".ljust(probe.stat().st_size, "x"))
    generate(out, options, progress=False)
    assert probe.read_text().startswith("tampered")  # skipped: same options, same sizes
    generate(out, options, force=True, progress=False)
    assert probe.read_text().startswith('"interaction_id"')


def test_changed_options_regenerate_and_remove_stale_files(tmp_path):
    out = tmp_path / "land"
    generate(out, GenerateOptions(agents=24, days=3, seed=3), progress=False)
    generate(out, GenerateOptions(agents=24, days=2, seed=3), progress=False)
    assert len(list((out / "crm_interactions").glob("*.csv"))) == 2
    assert json.loads((out / "truth.json").read_text())["parameters"]["days"] == 2


def test_cli_generate_and_its_errors(tmp_path, capsys):
    assert cli_main(["generate", "--agents", "24", "--days", "1", "--no-progress",
                     "--out", str(tmp_path / "cli")]) == 0
    assert "crm_interactions" in capsys.readouterr().out
    assert (tmp_path / "cli" / "truth.json").is_file()
    assert cli_main(["generate", "--agents", "5", "--days", "1", "--no-progress",
                     "--out", str(tmp_path / "few")]) == 2
    assert "at least 24" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli_main(["generate", "--format", "xlsx"])
