"""Partitions: workspaces (dynamic, grown by the discovery sensor) and UTC days from CLICKUP_START_DATE.

The daily dimension includes today (end_offset=1) so the hourly incremental run can refresh it.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

import dagster as dg

from clickup_elt import settings

WORKSPACE_DIM = "workspace"
DAY_DIM = "day"

WORKSPACES_PARTITIONS_NAME = "clickup_workspaces"

workspaces_partitions = dg.DynamicPartitionsDefinition(name=WORKSPACES_PARTITIONS_NAME)
daily_partitions = dg.DailyPartitionsDefinition(
    start_date=settings.start_date(), end_offset=1, timezone="UTC"
)
workspace_day_partitions = dg.MultiPartitionsDefinition(
    {WORKSPACE_DIM: workspaces_partitions, DAY_DIM: daily_partitions}
)

by_workspace = dg.MultiToSingleDimensionPartitionMapping(partition_dimension_name=WORKSPACE_DIM)

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def first_day() -> dt.date:
    return dt.date.fromisoformat(settings.start_date())


def last_day() -> dt.date:
    """Today's partition (UTC); partitions of later days do not exist yet."""
    return dt.datetime.now(dt.timezone.utc).date()


def days_by_workspace(partition_keys: Iterable[str]) -> dict[str, list[dt.date]]:
    """Multi-partition keys ("2024-01-05|123") grouped as workspace -> sorted days."""
    grouped: dict[str, set[dt.date]] = {}
    for key in partition_keys:
        parts = (
            key.keys_by_dimension
            if isinstance(key, dg.MultiPartitionKey)
            else dict(zip(sorted((DAY_DIM, WORKSPACE_DIM)), str(key).split("|"), strict=True))
        )
        grouped.setdefault(parts[WORKSPACE_DIM], set()).add(dt.date.fromisoformat(parts[DAY_DIM]))
    return {ws: sorted(days) for ws, days in grouped.items()}


def range_tags(
    workspace_ids: list[str], first: dt.date | None = None, last: dt.date | None = None
) -> dict[str, str]:
    """Run tags selecting a contiguous block of workspaces (in partition order), and days first..last
    of them for the day-partitioned jobs: one run, one paginated query per workspace."""
    start, end = workspace_ids[0], workspace_ids[-1]
    if first is not None and last is not None:
        start, end = f"{first.isoformat()}|{start}", f"{last.isoformat()}|{end}"
    return {RANGE_START_TAG: start, RANGE_END_TAG: end}


def contiguous_blocks(order: Sequence[str], selected: Iterable[str]) -> list[list[str]]:
    """`selected` workspaces split into runs of neighbours in partition `order`: a partition range
    covers everything between its ends, so a block must not skip over an unselected workspace."""
    chosen = set(selected)
    blocks: list[list[str]] = []
    previous_chosen = False
    for ws in order:
        if ws in chosen:
            if previous_chosen:
                blocks[-1].append(ws)
            else:
                blocks.append([ws])
        previous_chosen = ws in chosen
    return blocks
