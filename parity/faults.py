"""Fault injection for the crash tests: stop the run at a named point so a test can kill it there.

With ``PARITY_PAUSE_AT=<point>`` and ``PARITY_PAUSE_MARKER=<file>`` in the environment, the
process that reaches ``point`` writes the marker file and sleeps until it is killed, so a test
can SIGKILL the whole run at an exact, repeatable place instead of after a guessed delay. Unset
(always, outside the tests) every call is one dictionary lookup and returns at once.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

PAUSE_ENV = "PARITY_PAUSE_AT"
MARKER_ENV = "PARITY_PAUSE_MARKER"

RAW_BETWEEN_FILES = "raw_between_files"
"""Raw ingestion, after the first file's transaction committed and before the next file."""
DBT_BUILD = "dbt_build"
"""Inside the dbt build, after its first models were built: the dbt process is frozen mid-build."""
PUBLISH_BEFORE_SWITCH = "publish_before_switch"
"""Publish, after the new snapshot is written and before ``current`` moves to it."""
POINTS = (RAW_BETWEEN_FILES, DBT_BUILD, PUBLISH_BEFORE_SWITCH)


def pause_at(point: str, freeze: tuple[int, ...] = ()) -> None:
    """Stop here (forever) if the environment asks for ``point``; otherwise do nothing.

    ``freeze`` lists child processes (the dbt subprocess) to stop with SIGSTOP first, so the
    work they are doing is caught mid-way rather than finishing while this process sleeps.
    """
    if os.environ.get(PAUSE_ENV) != point:
        return
    for pid in freeze:
        os.kill(pid, signal.SIGSTOP)
    marker = Path(os.environ[MARKER_ENV])
    fresh = marker.with_name(f".{marker.name}.{os.getpid()}")
    fresh.write_text(f"{point} {os.getpid()}\n")
    os.replace(fresh, marker)  # the test never reads a half-written marker
    while True:
        time.sleep(3600)
