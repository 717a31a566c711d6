"""Partitions: workspaces (dynamic, grown by the discovery sensor). The UTC days a run reads (from
CLICKUP_START_DATE through today) are run config (run_configs.DaysConfig), not partitions: a key per
workspace and day would cost Dagster two events each and millions of keys at a thousand workspaces.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

import dagster as dg

from clickup_elt import settings

WORKSPACES_PARTITIONS_NAME = "clickup_workspaces"

workspaces_partitions = dg.DynamicPartitionsDefinition(name=WORKSPACES_PARTITIONS_NAME)

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def first_day() -> dt.date:
    """The first day read (CLICKUP_START_DATE); older records are filed under it."""
    return dt.date.fromisoformat(settings.start_date())


def last_day() -> dt.date:
    """Today (UTC): later days hold nothing yet."""
    return dt.datetime.now(dt.timezone.utc).date()


def range_tags(workspace_ids: list[str]) -> dict[str, str]:
    """Run tags selecting a contiguous block of workspaces (in partition order): one run, one
    paginated query per workspace."""
    return {RANGE_START_TAG: workspace_ids[0], RANGE_END_TAG: workspace_ids[-1]}


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
