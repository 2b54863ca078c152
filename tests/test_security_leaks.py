"""Security: no clear PII and no PII key in anything the pipeline wrote (issue 7, part 4).

The session warehouse is built by the Dagster CLI as `make materialize` builds it; everything that
run wrote is then scanned with ``scan_file`` (tests/test_security_scan.py: raw bytes, DuckDB and
SQLite tables read back, Parquet columns read with pyarrow), whose known-bad fixtures live there.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from parity.contract import FIELDS
from parity.ingest.pii import Pseudonymizer, normalize
from tests.test_security_scan import MIN_LEN, Finding, Needles, key_forms, scan_file, scan_tree

REPO = Path(__file__).resolve().parents[1]


# --- what the pipeline wrote ---------------------------------------------------------------------

def pii_values(landing: Path) -> set[str]:
    """Every clear PII value of the landing CSVs (the contract's pii fields): as written,
    trimmed, and in the normalized form the pseudonymizer hashes (lower-cased email,
    digits-only phone, case-folded name)."""
    values = set()
    for source, fields in FIELDS.items():
        kinds = [f.name for f in fields if f.pii]
        for path in sorted((landing / source).glob("*.csv")) if kinds else []:
            with path.open(newline="", encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    for kind in kinds:
                        if (row.get(kind) or "").strip():
                            values |= {row[kind], row[kind].strip(), normalize(kind, row[kind])}
    return values


def written_by_pipeline(built) -> list[Path]:
    """The build's folder (warehouse and WAL, serving snapshots with Parquet, manifest and
    report, the Dagster home with run and event storage, compute logs, alert log) and the dbt
    target folders of its runs (dbt.log, compiled SQL, run results)."""
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(built.home)) as instance:
        run_ids = [r.run_id for r in instance.get_runs()]
    assert run_ids, "the build recorded no Dagster run"
    dbt_targets = [p for run in run_ids
                   for p in (REPO / "dbt_project" / "target").glob(f"*-{run[:7]}-*")]
    return [built.home.parent, *dbt_targets]


@pytest.fixture(scope="session")
def pipeline_files(built) -> list[Path]:
    return written_by_pipeline(built)


@pytest.fixture(scope="session")
def pii_needles(landing) -> Needles:
    return Needles(pii_values(landing))


def test_every_pii_value_is_searched(landing):
    values = pii_values(landing)
    assert len(values) > 50_000  # ids, phones, emails, names, comments of 28 days
    assert min(len(v.encode()) for v in values) >= MIN_LEN
    assert any(v.startswith("C") and v[1:].isdigit() for v in values)  # customer ids
    assert any("@" in v for v in values) and any(v.isdigit() for v in values)


def test_scan_finds_the_landed_values_when_stored_clear(landing, pii_needles, tmp_path):
    """Positive control on the real data: the first CRM extract, as landed and loaded clear
    into DuckDB (what a pseudonymization bypass would leave), is caught."""
    crm = sorted((landing / "crm_interactions").glob("*.csv"))[0]
    (hit,) = scan_file(crm, pii_needles)
    assert len(hit.values) > 500
    database = tmp_path / "clear.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema raw")
        con.execute("create table raw.crm as select * from read_csv(?, all_varchar = true)",
                    [str(crm)])
    found = {f.where for f in scan_file(database, pii_needles)}
    assert {"duckdb:raw.crm.customer_id", "duckdb:raw.crm.customer_phone",
            "duckdb:raw.crm.customer_email"} <= found


def test_no_clear_pii_in_anything_the_pipeline_wrote(built, pii_needles, pipeline_files):
    needles = pii_needles
    findings, files = scan_tree(pipeline_files, needles)
    findings += [Finding(Path("<dagster CLI output>"), "bytes", hits)
                 for hits in [needles.find(built.output.encode())] if hits]
    names = [f.name for f in files]
    # The scan covered every kind of output, so a layout change cannot make it vacuous.
    assert built.warehouse in files
    assert sum(f.name == "parity.duckdb" and "snapshots" in f.parts for f in files) >= 1
    assert sum(n.endswith(".parquet") for n in names) >= 10
    assert {"manifest.json", "report.html", "runs.db"} <= set(names)
    assert any(n.endswith((".out", ".err")) for n in names), "no compute log scanned"
    assert any(n == "dbt.log" for n in names), "no dbt log scanned"
    assert not findings, "clear PII found:\n" + "\n".join(map(str, findings))


# --- the PII key ---------------------------------------------------------------------------------

def test_pii_key_is_nowhere_the_pipeline_wrote(built, pipeline_files):
    key = built.env["PARITY_PII_KEY"]
    assert len(key) >= MIN_LEN
    needles = Needles(key_forms(key))
    findings, files = scan_tree(pipeline_files, needles)
    assert len(files) > 50
    assert not needles.find(built.output.encode()), "the key is in the run's output"
    assert not findings, "PII key found:\n" + "\n".join(map(str, findings))


def test_pii_key_is_not_in_run_config_tags_or_metadata(built):
    from dagster import DagsterEventType, DagsterInstance
    from dagster._serdes import serialize_value

    needles = Needles(key_forms(built.env["PARITY_PII_KEY"]))
    with DagsterInstance.from_config(str(built.home)) as instance:
        runs = instance.get_runs()
        materializations = 0
        for run in runs:
            settings = json.dumps([run.run_config, run.tags], default=str)
            assert not needles.find(settings.encode()), run.run_id
            for entry in instance.all_logs(run.run_id):
                event = entry.dagster_event
                if event and event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
                    materializations += 1
                assert not needles.find(serialize_value(entry).encode()), entry.message
    assert materializations > 20  # the scan saw the asset metadata of every layer
    # The ledger records which key pseudonymized each file, never the key.
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        ids = {r[0] for r in con.execute(
            "select distinct pii_key_id from ingest.ledger").fetchall()}
    assert ids == {Pseudonymizer(built.env["PARITY_PII_KEY"].encode()).key_id}




# --- inputs the session data do not exercise ------------------------------------------------------

@pytest.mark.parametrize("source", ["surveys", "agents"])
def test_a_headerless_extract_is_rejected_without_echoing_its_first_row(landing, pii_needles,
                                                                        tmp_path, source):
    """A vendor export without its header row: the first data row (with a name or a comment)
    is read as the header. The rejection goes to the ledger (published), the Dagster log and
    the asset metadata, so it must not quote that row."""
    import datetime as dt

    from parity.ingest.files import LandedFile
    from parity.ingest.loader import load_file
    from parity.ingest.mapping import default_mapping

    original = sorted((landing / source).glob("*.csv"))[1]
    with original.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    pii = [i for i, f in enumerate(FIELDS[source]) if f.pii]
    first = next(r for r in rows if len(set(r)) == len(r) and all(r[i].strip() for i in pii))
    path = tmp_path / source / original.name
    path.parent.mkdir()
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([first, *rows[:20]])
    database = tmp_path / "wh.duckdb"
    with duckdb.connect(str(database)) as con:
        result = load_file(con, LandedFile(source, path, dt.date(2026, 1, 6)),
                           default_mapping(source), "run-1", Pseudonymizer(b"k" * 32))
    assert result.status == "rejected"
    assert not pii_needles.find(result.error.encode()), result.error
    assert not [f for f in scan_file(database, pii_needles)], result.error
