import datetime as dt

import dagster as dg
import pytest
from dagster._core.definitions.partitions.context import partition_loading_context

from clickup_elt.defs.ingestion import run_configs
from clickup_elt.defs.ingestion.partitions import (
    contiguous_blocks,
    first_day,
    last_day,
    range_tags,
    workspaces_partitions,
)
from clickup_elt.defs.ingestion.run_configs import TasksConfig, TaskSelection, TimeEntriesConfig


def test_blocks_never_span_an_unselected_workspace():
    order = ["1", "2", "3", "4", "5"]
    assert contiguous_blocks(order, {"1", "2", "4", "5"}) == [["1", "2"], ["4", "5"]]
    assert contiguous_blocks(order, set(order)) == [order]
    assert contiguous_blocks(order, {"9"}) == []


def test_range_tags_select_exactly_the_block():
    tags = range_tags(["11", "22"])
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("clickup_workspaces", ["11", "22", "33"])
        with partition_loading_context(dynamic_partitions_store=instance):
            keys = workspaces_partitions.get_partition_keys_in_range(
                dg.PartitionKeyRange(
                    tags["dagster/asset_partition_range_start"], tags["dagster/asset_partition_range_end"]
                )
            )
    assert keys == ["11", "22"]


def test_configured_days_are_every_day_between_first_and_last():
    first = last_day() - dt.timedelta(days=10)
    days = TimeEntriesConfig(first_day=first.isoformat(), last_day=(first + dt.timedelta(days=3)).isoformat())
    assert days.days() == [first + dt.timedelta(days=i) for i in range(4)]


def test_without_days_a_run_reads_yesterday_and_today():
    today = last_day()
    assert TasksConfig().days() == [today - dt.timedelta(days=1), today]
    assert TaskSelection(last_day=today.isoformat()).days() == [today - dt.timedelta(days=1), today]


def test_days_are_clamped_to_the_start_date_and_today():
    config = TimeEntriesConfig(first_day="1990-01-01", last_day="2999-01-01")
    days = config.days()
    assert (days[0], days[-1], len(days)) == (first_day(), last_day(), (last_day() - first_day()).days + 1)


@pytest.mark.parametrize("first, last", [("yesterday", None), ("2999-01-01", "2999-01-02")])
def test_unusable_days_fail_with_the_fix(first, last):
    with pytest.raises(dg.Failure, match="YYYY-MM-DD|no day to read"):
        TimeEntriesConfig(first_day=first, last_day=last).days()


def test_days_are_set_on_every_op_of_the_job_keeping_their_other_config():
    first, last = dt.date(2024, 1, 1), dt.date(2024, 1, 5)
    config = run_configs.with_days(
        ("tasks", "comments", "task_time_in_status"), first, last, run_configs.incremental()
    ).to_config_dict()
    for entity in ("tasks", "comments", "task_time_in_status"):
        assert run_configs.requested_days(config, entity) == ("2024-01-01", "2024-01-05")
    assert config["ops"]["clickup__tasks"]["config"]["archived_lists"] is False
    assert config["ops"]["clickup__comments"]["config"]["only_changed"] is True
    entries = run_configs.with_days(("time_entries",), first, last).to_config_dict()
    assert list(entries["ops"]) == ["clickup__time_entries"]
