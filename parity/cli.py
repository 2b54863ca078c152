"""The ``parity`` command: ``generate`` demo extracts, ``summary`` of the warehouse."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from parity import settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="parity", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write realistic demo extracts of all six sources")
    gen.add_argument("--agents", type=int, default=200, help="agents on the roster (>= 24)")
    gen.add_argument("--days", type=int, default=90, help="business days to simulate")
    gen.add_argument("--seed", type=int, default=7, help="same seed, byte-identical files")
    gen.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2026, 1, 5),
                     help="first business date, YYYY-MM-DD")
    gen.add_argument("--out", type=Path, default=None,
                     help=f"landing folder (default ${settings.LANDING_ENV} or "
                          f"{settings.DEFAULT_LANDING})")
    gen.add_argument("--format", choices=("csv", "parquet"), default="csv")
    gen.add_argument("--force", action="store_true",
                     help="regenerate even when the folder already holds this output")
    gen.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    summ = sub.add_parser("summary", help="row counts per warehouse table and where things are")
    summ.add_argument("--warehouse", type=Path, default=None)

    sub.add_parser("partition-range",
                   help="print FIRST...LAST business date of the landed files (for Dagster)")

    args = parser.parse_args(argv)
    if args.command == "generate":
        return _generate(args)
    if args.command == "partition-range":
        return _partition_range()
    return _summary(args)


def _partition_range() -> int:
    from parity.contract import SOURCES
    from parity.ingest.files import landed_files
    from parity.ingest.mapping import load_mapping

    dates = [f.business_date for s in SOURCES
             for f in landed_files(settings.landing_dir(), s,
                                   load_mapping(s, settings.mappings_dir()))
             if f.business_date is not None]
    if not dates:
        print(f"parity partition-range: no dated files under {settings.landing_dir()}",
              file=sys.stderr)
        return 1
    print(f"{min(dates).isoformat()}...{max(dates).isoformat()}")
    return 0


def _generate(args: argparse.Namespace) -> int:
    from parity.generator.run import GenerateOptions, generate

    out = (args.out or settings.landing_dir()).resolve()
    options = GenerateOptions(agents=args.agents, days=args.days, seed=args.seed,
                              start=args.start, fmt=args.format)
    began = time.perf_counter()
    try:
        manifest = generate(out, options, force=args.force,
                            progress=False if args.no_progress else None)
    except ValueError as exc:
        print(f"parity generate: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - began
    rows = sum(t["rows"] for t in manifest["totals"].values())
    print(f"Landing folder: {out}  ({rows:,} rows in {len(manifest['files'])} files, "
          f"{seconds:.1f} s)")
    for source, t in sorted(manifest["totals"].items()):
        print(f"  {source:<18} {t['rows']:>10,} rows  {t['files']:>4} files")
    print(f"Planted truths: {out / 'truth.json'}")
    return 0


def _summary(args: argparse.Namespace) -> int:
    from parity.summary import render_summary

    print(render_summary(args.warehouse or settings.warehouse_path()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
