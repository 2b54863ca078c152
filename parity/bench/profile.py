"""Where a dbt build's time goes: ``python -m parity.bench.profile RUN_RESULTS WAREHOUSE``.

Prints the slowest models and tests of one dbt invocation (its run_results.json), then runs
the compiled select of the slowest model again on the warehouse, read-only, with DuckDB's
profiler on, and prints its most expensive operators. Run it while nothing writes the
warehouse (e.g. during the floor and pandas stages, which read only the CSVs).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import duckdb

from parity.bench.render import top_models


def _operators(node: dict) -> list[tuple[float, int, str, str]]:
    """(seconds, rows out, operator, detail) of a node of DuckDB's JSON profile and below."""
    extra = node.get("extra_info") or {}
    detail = extra.get("Join Type") or extra.get("Function") or extra.get("Table") or \
        extra.get("Aggregates") or ""
    out = [(node.get("timing", 0.0), node.get("intermediate_rows", 0), node.get("name", "?"),
            str(detail).replace("\n", " ").replace("|", "/")[:70])]
    for child in node.get("children", []):
        out += _operators(child)
    return out


def profile_model(run_results: Path, warehouse: Path, memory_limit: str = "6GB",
                  top: int = 8, model: str | None = None) -> str:
    """DuckDB's profile of the compiled select of one model (default: the slowest)."""
    nodes = json.loads(run_results.read_text())["results"]
    models = [n for n in nodes if n["unique_id"].startswith("model.") and n.get("compiled_code")
              and (model is None or n["unique_id"].endswith(f".{model}"))]
    slowest = max(models, key=lambda n: n["execution_time"])
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile.json"
        with duckdb.connect(str(warehouse), read_only=True,
                            config={"memory_limit": memory_limit}) as con:
            con.execute("pragma enable_profiling = 'json'")
            con.execute("set profiling_output = ?", [str(out)])
            con.sql(slowest["compiled_code"]).aggregate("count(*)").fetchall()
            con.execute("pragma disable_profiling")
        tree = json.loads(out.read_text())
    ops = sorted(_operators(tree["operator"][0]), key=lambda o: -o[0])[:top]
    system = tree.get("system", {})
    lines = [f"{slowest['unique_id']}: {slowest['execution_time']:.1f} s in the build; its "
             f"select alone {tree['query']['total_time']:.1f} s under the profiler (CPU "
             f"{tree['query']['cpu_time']:.1f} s), peak buffer memory "
             f"{system.get('peak_buffer_memory', 0) / 2**30:.2f} GiB, spilled "
             f"{system.get('total_bytes_spilled', 0) / 2**30:.2f} GiB.", "",
             "| operator | detail | seconds | rows out |", "|---|---|---|---|"]
    lines += [f"| {name} | {detail} | {t:.1f} | {rows:,} |" for t, rows, name, detail in ops]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="parity.bench.profile", description=__doc__)
    parser.add_argument("run_results", type=Path)
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--memory-limit", default="6GB")
    parser.add_argument("--model", help="profile this model instead of the slowest")
    args = parser.parse_args(argv)
    print(top_models(str(args.run_results)))
    print()
    print(profile_model(args.run_results, args.warehouse, args.memory_limit,
                        model=args.model))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
