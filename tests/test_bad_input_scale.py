"""Bad-input corpus at scale: one file of a million contacts, 5% of them bad in five ways, loads in
streamed chunks with exact counts (run by `make test-all`)."""

from __future__ import annotations

import resource
import time

import duckdb
import pytest

from parity.contract import column_names

from .ingest_helpers import kind, ledger, load

ROWS = 1_000_000
GOOD = ("IX{i:010d},,,,,voice,inbound,q1,billing,normal,A{agent:05d},2026-01-06T09:00:00Z,"
        "2026-01-06T09:00:05Z,2026-01-06T09:05:00Z,5,295,0,30,false,false,true\n")
# every 20th row is bad, in turn one of five ways (10,000 of each)
BAD = (
    GOOD.replace(",295,", ",abc,"),
    GOOD.replace(",voice,", ",fax,"),
    GOOD.replace("IX{i:010d}", "IX{previous:010d}"),
    "IX{i:010d},,,,,voice,inbound\n",
    GOOD.replace("09:05:00Z", "09:00:01Z"),
)


def _million_row_file(path):
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(column_names("crm_interactions")) + "\n")
        for i in range(ROWS):
            template = BAD[(i // 20) % 5] if i % 20 == 19 else GOOD
            out.write(template.format(i=i, previous=i - 1, agent=i % 500))


@pytest.mark.slow
@kind("million_rows_5pct_bad", "crm_interactions", "quarantined", "field_count")
def test_a_million_rows_with_five_percent_bad_reconcile_exactly(tmp_path, capsys):
    path = tmp_path / "crm_interactions" / "crm_interactions_2026-01-06.csv"
    path.parent.mkdir()
    _million_row_file(path)
    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    started, cpu = time.perf_counter(), time.process_time()
    result = load(con, "crm_interactions", path)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (
        1_000_000, 950_000, 50_000)
    assert ledger(con, "crm_interactions")[0][:4] == ("loaded", 1_000_000, 950_000, 50_000)
    assert dict(con.execute("select check_name, count(*) from ingest.quarantine "
                            "group by all").fetchall()) == {
        "type_int": 10_000, "isin(['voice', 'chat', 'email'])": 10_000,
        "duplicate_key_in_file": 10_000, "field_count": 10_000,
        "ended_at_not_before_answered_at": 10_000}
    assert con.execute("select count(*), count(distinct interaction_id) "
                       "from raw.crm_interactions").fetchone() == (950_000, 950_000)
    con.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with capsys.disabled():
        print(f"\n1,000,000 rows ({path.stat().st_size / 1e6:.0f} MB): load {wall:.1f} s "
              f"wall, {cpu:.1f} s CPU, peak RSS of the test process {peak:.0f} MiB")
