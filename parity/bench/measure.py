"""Run one measured child process and keep its figures.

Each measurement is its own child process, so wall time, CPU time and peak RSS belong to that
run alone: ``os.wait4`` returns the child's resource usage (CPU of its own children included
once they are reaped, which the Dagster CLI and dbt do before exiting).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import time
from pathlib import Path

GIB = 2**30


def _limit_memory(cap_bytes: int | None):
    """preexec_fn of a child with an address-space cap (malloc fails past it: MemoryError)."""
    def apply():
        os.setsid()  # its own process group, so a time-out ends the child and its helpers
        if cap_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (cap_bytes, cap_bytes))
    return apply


def measure(argv: list[str], log: Path, env: dict | None = None, cwd: Path | None = None,
            memory_cap: int | None = None, time_cap: float | None = None) -> dict:
    """Wall seconds, CPU seconds, peak RSS (MiB) and the outcome of one child process.

    The outcome is ``ok``, ``failed``, ``out of memory`` (MemoryError or killed past the
    memory cap) or ``timed out``; its output goes to ``log``, never to the terminal."""
    log.parent.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    with log.open("w") as out:
        child = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                 preexec_fn=_limit_memory(memory_cap))
        timed_out = False
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time_cap and time.perf_counter() - began > time_cap and not timed_out:
                timed_out = True
                os.killpg(child.pid, signal.SIGKILL)
            time.sleep(0.2)
    child.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
    wall = time.perf_counter() - began
    code = child.returncode
    tail = log.read_text(errors="replace")[-4000:]
    if timed_out:
        outcome = "timed out"
    elif code == 0:
        outcome = "ok"
    elif "MemoryError" in tail or "Out of Memory" in tail or code == -signal.SIGKILL:
        outcome = "out of memory"
    else:
        outcome = "failed"
    return {"outcome": outcome, "exit_code": code, "wall_s": wall,
            "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mib": usage.ru_maxrss / 1024,
            "log": str(log), "memory_cap_gib": memory_cap / GIB if memory_cap else None,
            "time_cap_s": time_cap}


class Results:
    """The figures of a workdir, kept in one results-<size>.json per size so stages can run
    (and rerun) apart and sizes can run side by side: one record per size, run (full or day)
    and stage; a rerun replaces its record."""

    def __init__(self, workdir: Path):
        self.workdir = workdir

    def _file(self, size: str) -> Path:
        return self.workdir / f"results-{size}.json"

    @staticmethod
    def _read(path: Path) -> list[dict]:
        return json.loads(path.read_text()) if path.exists() else []

    @property
    def records(self) -> list[dict]:
        return [r for path in sorted(self.workdir.glob("results-*.json"))
                for r in self._read(path)]

    def put(self, record: dict) -> dict:
        path = self._file(record["size"])
        key = (record["run"], record["stage"])
        kept = [r for r in self._read(path) if (r["run"], r["stage"]) != key]
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(kept + [record], indent=1, default=str))
        tmp.replace(path)
        return record

    def get(self, size: str, run: str, stage: str) -> dict | None:
        return next((r for r in self._read(self._file(size))
                     if (r["run"], r["stage"]) == (run, stage)), None)
