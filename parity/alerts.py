"""Alert lines for failed runs: appended to a log file, and handed to an optional command."""

from __future__ import annotations

import datetime as dt
import shlex
import subprocess
from pathlib import Path

from parity import settings


def alert_line(run_id: str, job: str, message: str, partitions: str | None) -> str:
    """One line, greppable: time, run, job, partitions and the error, newlines folded."""
    when = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    text = " ".join((message or "no error message").split())
    return (f"{when} PARITY RUN FAILED run={run_id} job={job} "
            f"partitions={partitions or '-'} error={text}")


def raise_alert(line: str, log: Path | None = None, command: str | None = None) -> None:
    """Append ``line`` to the alert log; if a command is configured (PARITY_ALERT_COMMAND, e.g.
    a mail or chat client), run it with the line on standard input (no shell)."""
    log = log or settings.alert_log()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    command = command or settings.alert_command()
    if command:
        subprocess.run(shlex.split(command), input=line + "\n", text=True, check=True,
                       timeout=60)
