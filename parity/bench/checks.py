"""The checks stage alone: ``python -m parity.bench.checks FIRST LAST`` (business dates).

Inside Dagster the dbt tests and the great-expectations suites are asset checks that run in the
same run as the assets they check (dbt build runs each model's tests right after it), so from
the CLI they cannot be selected without their assets. Here they run on their own on the
warehouse the earlier stages left: `dbt test` with the run's window as vars, as the dbt assets
pass it, then every great-expectations suite (checks/expectations.py) as the asset checks call
them. The row-count suite of the serving copy runs inside the publish stage.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import duckdb

from checks.expectations import SUITES, run_suite
from orchestration.project import DBT_DIR
from parity import settings


def main(argv: list[str] | None = None) -> int:
    first, last = argv if argv is not None else sys.argv[1:]
    window = {"window_start": first,
              "window_end": (dt.date.fromisoformat(last) + dt.timedelta(days=1)).isoformat()}
    dbt = Path(sys.executable).parent / "dbt"
    tests = subprocess.run([str(dbt), "test", "--project-dir", str(DBT_DIR), "--profiles-dir",
                            str(DBT_DIR), "--vars", json.dumps(window)])
    failed = 0
    with duckdb.connect(str(settings.warehouse_path()), read_only=True) as con:
        for suite in SUITES:
            frame, results = run_suite(con, suite)
            bad = [r for r in results if not r["success"]]
            failed += bool(bad)
            print(f"{suite.name}: {len(results)} expectations on {len(frame)} rows, "
                  f"{len(bad)} failed", flush=True)
    return 1 if tests.returncode or failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
