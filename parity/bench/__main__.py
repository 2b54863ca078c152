"""Benchmark harness (figures, not pass/fail): ``python -m parity.bench --sizes demo 10x``.

For each size: generate the extracts, then the full pipeline over every landed day but the
last (ingest + validate, dbt build, benchmarks, checks, publish, report: each a Dagster CLI run
or, for the checks, a child process of its own), the raw DuckDB floor and the pandas script on
the same days, then the last day alone on top (the nightly increment) and the floor again on
every day against the incremental marts. Every stage is one child process measured with
os.wait4 (wall, CPU, peak RSS). Figures go to WORKDIR/results-<size>.json, so stages can run
apart and a long run can resume (--workdir, --stages, --runs); --write-docs puts the tables of
every figure of the workdir into docs/benchmarks.md between the bench markers.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from parity.bench import compare, pipeline, render
from parity.bench.measure import Results

FULL = ("generate", "ingest", "dbt", "floor", "pandas", "benchmarks", "checks", "publish",
        "report")
DAY = ("ingest", "dbt", "benchmarks", "checks", "publish", "report", "floor")
DOC = pipeline.REPO / "docs" / "benchmarks.md"


def _memory(values: list[str]) -> dict[str, str]:
    """SIZE=LIMIT pairs, e.g. year=10GB: DuckDB memory_limit of that size's dbt runs and floor
    (PARITY_DUCKDB_MEMORY, read by dbt_project/profiles.yml)."""
    return dict(v.split("=", 1) for v in values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="parity.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", choices=list(pipeline.SIZES),
                        default=["demo", "10x"])
    parser.add_argument("--stages", nargs="+", choices=FULL, default=list(FULL),
                        help="stages to run (default: all, in pipeline order)")
    parser.add_argument("--runs", nargs="+", choices=("full", "day"), default=None,
                        help="full: every landed day but the last; day: the last one on top "
                             "(default both; the small size, CI's smoke run, full only)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="data, warehouses, logs and results-<size>.json (default: a "
                             "temporary folder); reuse it to resume or add stages")
    parser.add_argument("--duckdb-memory", nargs="*", default=[], metavar="SIZE=LIMIT",
                        help="DuckDB memory_limit for a size, e.g. year=10GB")
    parser.add_argument("--pandas-memory-gib", type=float, default=12,
                        help="address-space cap of the pandas script (default 12)")
    parser.add_argument("--pandas-time-s", type=float, default=1800,
                        help="time cap of the pandas script (default 1800)")
    parser.add_argument("--write-docs", action="store_true",
                        help="write every figure of the workdir into docs/benchmarks.md")
    parser.add_argument("--render-only", action="store_true",
                        help="run nothing: print (with --write-docs, write) the figures "
                             "already in the workdir")
    args = parser.parse_args(argv)
    if args.render_only and not args.workdir:
        parser.error("--render-only needs --workdir")
    memory = _memory(args.duckdb_memory)
    with tempfile.TemporaryDirectory(prefix="parity-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        results = Results(workdir)
        for size in [] if args.render_only else args.sizes:
            limit = memory.get(size)
            runs = args.runs or (["full"] if size == "small" else ["full", "day"])
            for run, stages in (("full", FULL), ("day", DAY)):
                if run not in runs:
                    continue
                for stage in (s for s in stages if s in args.stages):
                    if stage in ("floor", "pandas"):
                        compare.run_stage(results, workdir, size, stage, limit,
                                          args.pandas_memory_gib, args.pandas_time_s, run)
                    else:
                        pipeline.run_stage(results, workdir, size, run, stage, limit)
        section = render.render([r for r in results.records if r["size"] in args.sizes]
                                if not args.write_docs else results.records)
        print(section)
        if args.write_docs:
            render.write_docs(DOC, section)
            print(f"written to {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
