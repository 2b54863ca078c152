"""Daily business-date partitions shared by every raw asset."""

from __future__ import annotations

import dagster as dg

from parity import settings

daily = dg.DailyPartitionsDefinition(start_date=settings.partitions_start())

WAREHOUSE_POOL = "warehouse"
"""Every step that opens the DuckDB warehouse runs in this pool, limited to one slot in
dagster.yaml: one writer at a time across all runs (STACK.md trap 2)."""
