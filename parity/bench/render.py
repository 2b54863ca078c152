"""Tables of the figures, the machine they were measured on, and the docs section they go to."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
STAGE_ORDER = ("generate", "ingest", "dbt", "benchmarks", "checks", "publish", "report",
               "floor", "pandas")
STAGE_LABELS = {"generate": "generate", "ingest": "ingest + validate",
                "dbt": "dbt build (all models + tests)",
                "benchmarks": "benchmarks (alone)", "checks": "checks (alone)",
                "publish": "publish", "report": "report", "floor": "raw SQL floor",
                "pandas": "pandas script"}
SIZE_ORDER = ("small", "demo", "10x", "year")


def machine() -> str:
    import duckdb

    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = next(int(line.split()[1]) for line in meminfo.read_text().splitlines()
                   if line.startswith("MemTotal:"))
        memory = f"{kib / 2**20:.1f} GiB"
    return (f"{platform.machine()}, {os.cpu_count()} cores (os.cpu_count()), {memory} RAM "
            f"(/proc/meminfo MemTotal), Python {platform.python_version()}, "
            f"DuckDB {duckdb.__version__}")


def _order(r: dict) -> tuple:
    return (SIZE_ORDER.index(r["size"]) if r["size"] in SIZE_ORDER else 99,
            r["run"] != "full", STAGE_ORDER.index(r["stage"]))


def _figures(r: dict) -> str:
    if r["outcome"] != "ok":
        what = r["outcome"]
        if r["outcome"] == "out of memory" and r.get("memory_cap_gib"):
            what = f"out of memory at {r['memory_cap_gib']:.0f} GiB"
        if r["outcome"] == "timed out":
            what = f"did not finish in {r['time_cap_s']:.0f} s"
        return f"**{what}** | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | {r['peak_rss_mib']:,.0f}"
    return f"ok | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | {r['peak_rss_mib']:,.0f}"


def stage_table(records: list[dict]) -> str:
    head = ("| size | agents x days | run | stage | outcome | wall s | CPU s | peak RSS MiB | "
            "contacts | rows |\n|---|---|---|---|---|---|---|---|---|---|")
    lines = []
    for r in sorted(records, key=_order):
        contacts = f"{r['contacts']:,}" if r.get("contacts") is not None else ""
        rows = f"{r['rows']:,}" if r.get("rows") is not None else ""
        run = "full" if r["run"] == "full" else "+1 day"
        lines.append(f"| {r['size']} | {r['agents']} x {r['days']} | {run} | "
                     f"{STAGE_LABELS[r['stage']]} | {_figures(r)} | {contacts} | {rows} |")
    return "\n".join([head, *lines])


def _ratio(a: dict | None, b: dict | None, key: str = "wall_s") -> str:
    if not a or not b or a["outcome"] != "ok" or b["outcome"] != "ok":
        return "n/a"
    return f"{a[key] / b[key]:.1f}x"


def ratio_table(records: list[dict]) -> str:
    """Per size: Parity's transform and the pandas script against the raw DuckDB floor."""
    by = {(r["size"], r["run"], r["stage"]): r for r in records}
    head = ("| size | floor wall s | Parity dbt build / floor | Parity ingest + dbt build / "
            "floor | pandas / floor | floor vs marts | pandas vs marts | floor vs marts "
            "after +1 day |\n|---|---|---|---|---|---|---|---|")
    lines = []
    for size in sorted({r["size"] for r in records}, key=lambda s: SIZE_ORDER.index(s)):
        floor = by.get((size, "full", "floor"))
        if not floor:
            continue
        dbt, ingest = by.get((size, "full", "dbt")), by.get((size, "full", "ingest"))
        pandas = by.get((size, "full", "pandas"))
        both = None
        if dbt and ingest and dbt["outcome"] == ingest["outcome"] == "ok":
            both = {"outcome": "ok", "wall_s": dbt["wall_s"] + ingest["wall_s"],
                    "cpu_s": dbt["cpu_s"] + ingest["cpu_s"]}
        if pandas and pandas["outcome"] != "ok":
            pandas_ratio = _figures(pandas).split(" |")[0]
        else:
            pandas_ratio = (f"{_ratio(pandas, floor)} (CPU {_ratio(pandas, floor, 'cpu_s')})")

        def agreed(r):
            if not r or "agrees" not in r:
                return "not compared"
            if r["agrees"]:
                return "equal to 1e-9"
            rows = sum(m["rows"] for m in r["agreement"].values())
            return "; ".join(
                f"{m['rows_differing']} of {rows:,} rows differ ({name})"
                if "rows_differing" in m else
                f"{name} differs (largest differences: numerator "
                f"{m['max_numerator_diff']:g}, denominator {m['max_denominator_diff']:g})"
                for name, m in r["agreement"].items()
                if m.get("rows_differing", 1) and (m["only_left"] or m["only_right"]
                                                   or m["max_numerator_diff"] > 1e-9
                                                   or m["max_denominator_diff"] > 1e-9))
        lines.append(
            f"| {size} | {floor['wall_s']:.1f} | {_ratio(dbt, floor)} "
            f"(CPU {_ratio(dbt, floor, 'cpu_s')}) | {_ratio(both, floor)} "
            f"(CPU {_ratio(both, floor, 'cpu_s')}) | {pandas_ratio} | {agreed(floor)} | "
            f"{agreed(pandas)} | {agreed(by.get((size, 'day', 'floor')))} |")
    return "\n".join([head, *lines])


def top_models(run_results: str | None, n: int = 10) -> str:
    """The n slowest nodes of a dbt invocation (run_results.json), models and tests."""
    if not run_results or not Path(run_results).exists():
        return ""
    nodes = json.loads(Path(run_results).read_text())["results"]
    total = sum(r["execution_time"] for r in nodes)
    slow = sorted(nodes, key=lambda r: -r["execution_time"])[:n]
    head = "| dbt node | status | seconds | share |\n|---|---|---|---|"
    lines = [f"| {r['unique_id'].split('.', 1)[1]} | {r['status']} | "
             f"{r['execution_time']:.1f} | {r['execution_time'] / total:.0%} |" for r in slow]
    return "\n".join([f"{len(nodes)} nodes, {total:.1f} s of dbt execution in all.", "",
                      head, *lines])


def render(records: list[dict]) -> str:
    parts = [f"Machine: {machine()}.", "", stage_table(records), "", ratio_table(records)]
    for r in sorted(records, key=_order):
        if r["stage"] == "dbt" and r["run"] == "full" and r["size"] in ("10x", "year"):
            table = top_models(r.get("dbt_run_results"))
            if table:
                parts += ["", f"Slowest dbt nodes, {r['size']} full build "
                              f"(run_results.json):", "", table]
    return "\n".join(parts)


def write_docs(doc: Path, section: str) -> None:
    """Replace the text between the bench markers of doc, keeping everything else."""
    text = doc.read_text()
    block = f"{START}\n{section}\n{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(text)
