"""Daily business-date partitions shared by every raw asset."""

from __future__ import annotations

import dagster as dg

from parity import settings

daily = dg.DailyPartitionsDefinition(start_date=settings.partitions_start())
