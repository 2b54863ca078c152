"""Where Parity reads and writes, from the environment with local defaults.

Paths are resolved against the current directory, so the Makefile (run from the repo root) and
the Dagster code location agree on them.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LANDING_ENV = "PARITY_LANDING_DIR"
WAREHOUSE_ENV = "PARITY_WAREHOUSE"
DEFAULT_LANDING = Path("data/landing")
DEFAULT_WAREHOUSE = Path("data/warehouse/parity.duckdb")


def landing_dir() -> Path:
    """Root of the landing area: one folder per source."""
    return Path(os.environ.get(LANDING_ENV) or DEFAULT_LANDING).resolve()


def warehouse_path() -> Path:
    """The DuckDB warehouse file the pipeline writes."""
    return Path(os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE).resolve()


def dagster_home() -> Path | None:
    value = os.environ.get("DAGSTER_HOME")
    return Path(value).resolve() if value else None


MAPPINGS_ENV = "PARITY_MAPPINGS_DIR"
PARTITIONS_START_ENV = "PARITY_PARTITIONS_START"
DEFAULT_PARTITIONS_START = "2025-01-01"


def mappings_dir() -> Path | None:
    """Folder of ``<source>.yaml`` mappings; a source without a file uses the identity."""
    value = os.environ.get(MAPPINGS_ENV)
    return Path(value).resolve() if value else None


def partitions_start() -> str:
    """First business date the daily partitions cover (YYYY-MM-DD); anything else is refused
    here, before it reaches the partitions, the sensor's comparisons or a dbt var."""
    value = os.environ.get(PARTITIONS_START_ENV) or DEFAULT_PARTITIONS_START
    try:
        if dt.date.fromisoformat(value).isoformat() == value:
            return value
    except ValueError:
        pass
    raise ValueError(f"{PARTITIONS_START_ENV} must be a date YYYY-MM-DD, not {value!r}")


SERVING_ENV = "PARITY_SERVING_DIR"
DEFAULT_SERVING = Path("data/serving")
SCHEDULE_CRON_ENV = "PARITY_SCHEDULE_CRON"
SCHEDULE_TZ_ENV = "PARITY_SCHEDULE_TIMEZONE"
LOOKBACK_ENV = "PARITY_LOOKBACK_DAYS"
KEEP_SNAPSHOTS_ENV = "PARITY_KEEP_SNAPSHOTS"
ALERT_LOG_ENV = "PARITY_ALERT_LOG"
ALERT_COMMAND_ENV = "PARITY_ALERT_COMMAND"
AUTOMATION_ENV = "PARITY_AUTOMATION"


def serving_dir() -> Path:
    """Where the serving copies for BI tools are published (``current`` points at the latest)."""
    return Path(os.environ.get(SERVING_ENV) or DEFAULT_SERVING).resolve()


def schedule_cron() -> str:
    """When the nightly run starts (cron, in the schedule timezone); default 02:30."""
    return os.environ.get(SCHEDULE_CRON_ENV) or "30 2 * * *"


def schedule_timezone() -> str:
    """IANA timezone of the nightly schedule and of its business day. Checked against the
    timezone database (a name there is a file path: ``../`` or an unknown name is refused)."""
    value = os.environ.get(SCHEDULE_TZ_ENV) or "UTC"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{SCHEDULE_TZ_ENV} must be an IANA timezone such as "
                         f"America/New_York, not {value!r}") from exc
    return value


def _positive_int(env: str, default: int) -> int:
    value = os.environ.get(env)
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{env} must be a whole number of at least 1, not {value!r}")
    return int(value)


def lookback_days() -> int:
    """Days the nightly run reloads, ending with the latest complete business day (late data
    and corrections)."""
    return _positive_int(LOOKBACK_ENV, 7)


def keep_snapshots() -> int:
    """How many serving copies stay on disk (the current one included)."""
    return _positive_int(KEEP_SNAPSHOTS_ENV, 3)


def alert_log() -> Path:
    """File the run-failure sensor appends its alert lines to."""
    value = os.environ.get(ALERT_LOG_ENV)
    if value:
        return Path(value).resolve()
    home = dagster_home()
    return (home / "alerts.log") if home else Path("data/alerts.log").resolve()


def alert_command() -> str | None:
    """Optional command (mail, chat) that receives each alert line on its standard input."""
    return os.environ.get(ALERT_COMMAND_ENV) or None


def automation_default() -> str:
    """``running`` or ``stopped`` (default): how the schedule and landing sensor start."""
    value = (os.environ.get(AUTOMATION_ENV) or "stopped").lower()
    if value not in ("running", "stopped"):
        raise ValueError(f"{AUTOMATION_ENV} must be 'running' or 'stopped', not {value!r}")
    return value
