import datetime as dt

import dagster as dg

from clickup_elt.defs.ingestion.partitions import (
    contiguous_blocks,
    days_by_workspace,
    range_tags,
    workspace_day_partitions,
)


def test_blocks_never_span_an_unselected_workspace():
    order = ["1", "2", "3", "4", "5"]
    assert contiguous_blocks(order, {"1", "2", "4", "5"}) == [["1", "2"], ["4", "5"]]
    assert contiguous_blocks(order, set(order)) == [order]
    assert contiguous_blocks(order, {"9"}) == []


def test_range_tags_select_exactly_the_block_and_days():
    first = dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=10)
    tags = range_tags(["11", "22"], first, first + dt.timedelta(days=3))
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("clickup_workspaces", ["11", "22", "33"])
        keys = workspace_day_partitions.get_partition_keys_in_range(
            dg.PartitionKeyRange(
                tags["dagster/asset_partition_range_start"], tags["dagster/asset_partition_range_end"]
            ),
            dynamic_partitions_store=instance,
        )
    grouped = days_by_workspace(keys)
    assert sorted(grouped) == ["11", "22"]
    assert grouped["22"] == [first + dt.timedelta(days=i) for i in range(4)]
