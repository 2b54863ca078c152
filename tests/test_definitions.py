"""The Dagster code location: what it defines, and the landing inventory run through Dagster."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from assets.landing import landing_files
from checks.landing import landing_files_cover_every_source
from orchestration.definitions import defs
from parity.summary import render_summary

REPO = Path(__file__).resolve().parents[1]


def test_definitions_load_with_expected_assets_and_checks():
    repo = defs.get_repository_def()
    keys = sorted(k.to_user_string() for k in repo.asset_graph.get_all_asset_keys())
    assert keys == ["landing/files"]
    checks = sorted(c.name for c in repo.asset_graph.asset_check_keys)
    assert checks == ["landing_files_cover_every_source"]
    spec = next(iter(landing_files.specs))
    assert spec.group_name == "landing" and spec.description


def _materialize(tmp_path, monkeypatch, landing):
    monkeypatch.setenv("PARITY_LANDING_DIR", str(landing))
    warehouse = tmp_path / "wh.duckdb"
    result = dg.materialize(
        [landing_files, landing_files_cover_every_source],
        resources={"warehouse": DuckDBResource(database=str(warehouse))},
    )
    return result, warehouse


def test_inventory_matches_the_generated_files(tmp_path, monkeypatch, landing, truth):
    result, warehouse = _materialize(tmp_path, monkeypatch, landing)
    assert result.success
    with duckdb.connect(str(warehouse), read_only=True) as con:
        got = {(s, f): r for s, f, r in con.execute(
            "select source, file_name, rows_in_file from landing.files").fetchall()}
    expected = {(f["source"], Path(f["path"]).name): f["rows"] for f in truth["files"]}
    assert got == expected
    check = result.get_asset_check_evaluations()[0]
    assert check.passed and check.severity == dg.AssetCheckSeverity.WARN


def test_rerun_replaces_rather_than_appends(tmp_path, monkeypatch, landing):
    _materialize(tmp_path, monkeypatch, landing)
    _, warehouse = _materialize(tmp_path, monkeypatch, landing)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        n = con.execute("select count(*) from landing.files").fetchone()[0]
        runs = con.execute("select count(distinct run_id) from landing.files").fetchone()[0]
    assert n == len(list(landing.rglob("*.csv"))) and runs == 1


def test_check_warns_when_a_source_is_missing(tmp_path, monkeypatch, landing):
    partial = tmp_path / "partial"
    shutil.copytree(landing / "agents", partial / "agents")
    shutil.copytree(landing / "surveys", partial / "surveys")
    result, _ = _materialize(tmp_path, monkeypatch, partial)
    check = result.get_asset_check_evaluations()[0]
    assert not check.passed
    assert check.severity == dg.AssetCheckSeverity.WARN
    assert "crm_interactions" in check.metadata["missing_sources"].value


def test_summary_lists_tables_and_paths(tmp_path, monkeypatch, landing):
    _, warehouse = _materialize(tmp_path, monkeypatch, landing)
    text = render_summary(warehouse)
    files = len(list(landing.rglob("*.csv")))
    assert f"landing.files" in text and f"{files:,}" in text
    assert str(warehouse) in text
    assert "No warehouse" in render_summary(tmp_path / "absent.duckdb")


def test_dagster_cli_materializes_everything_like_make_demo(tmp_path, landing):
    """The exact command `make demo` runs, in a fresh Dagster home."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    env = {**os.environ, "DAGSTER_HOME": str(home), "PARITY_LANDING_DIR": str(landing),
           "PARITY_WAREHOUSE": str(tmp_path / "cli.duckdb")}
    bin_dir = Path(sys.executable).parent
    done = subprocess.run(
        [str(bin_dir / "dagster"), "asset", "materialize", "--select", "*",
         "-m", "orchestration.definitions"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "RUN_SUCCESS" in done.stderr + done.stdout
    assert any((home / "storage").iterdir())  # the run is recorded in this Dagster home
    summary = subprocess.run([str(bin_dir / "parity"), "summary"], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=60)
    assert summary.returncode == 0 and "landing.files" in summary.stdout
