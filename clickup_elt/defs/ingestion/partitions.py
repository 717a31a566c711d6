"""Partitions: workspaces (dynamic, grown by the discovery sensor) and UTC days from CLICKUP_START_DATE.

The daily dimension includes today (end_offset=1) so the hourly incremental run can refresh it.
"""


import datetime as dt

import dagster as dg

from clickup_elt import settings

WORKSPACE_DIM = "workspace"
DAY_DIM = "day"

workspaces_partitions = dg.DynamicPartitionsDefinition(name="clickup_workspaces")
daily_partitions = dg.DailyPartitionsDefinition(
    start_date=settings.start_date(), end_offset=1, timezone="UTC")
workspace_day_partitions = dg.MultiPartitionsDefinition(
    {WORKSPACE_DIM: workspaces_partitions, DAY_DIM: daily_partitions})

by_workspace = dg.MultiToSingleDimensionPartitionMapping(partition_dimension_name=WORKSPACE_DIM)

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def first_day() -> dt.date:
    return dt.date.fromisoformat(settings.start_date())


def last_day() -> dt.date:
    """Today's partition (UTC); partitions of later days do not exist yet."""
    return dt.datetime.now(dt.timezone.utc).date()


def days_by_workspace(partition_keys) -> dict[str, list[dt.date]]:
    """Multi-partition keys ("2024-01-05|123") grouped as workspace -> sorted days."""
    grouped: dict[str, set[dt.date]] = {}
    for key in partition_keys:
        parts = key.keys_by_dimension if isinstance(key, dg.MultiPartitionKey) else \
            dict(zip(sorted((DAY_DIM, WORKSPACE_DIM)), str(key).split("|")))
        grouped.setdefault(parts[WORKSPACE_DIM], set()).add(dt.date.fromisoformat(parts[DAY_DIM]))
    return {ws: sorted(days) for ws, days in grouped.items()}


def range_tags(workspace_ids: list[str], first: dt.date, last: dt.date) -> dict[str, str]:
    """Run tags selecting days first..last of a contiguous block of workspaces (one run, one query)."""
    return {
        RANGE_START_TAG: f"{first.isoformat()}|{workspace_ids[0]}",
        RANGE_END_TAG: f"{last.isoformat()}|{workspace_ids[-1]}",
    }

