"""`dbt build` on raw rows shaped like ClickUp's documented responses: every model and test passes,
and the marts hold what a person sees in ClickUp. One build per module; many assertions on it."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal

import psycopg2
import pytest

from clickup_elt.warehouse.db import connection
from pg import query
from raw_examples import dataset, load

UNIT_TESTS = {
    "ms_epoch_strings_become_utc_timestamps",
    "latest_task_version_wins_across_partitions",
    "task_fields_are_typed_and_renamed",
    "latest_comment_load_wins",
    "running_timers_have_no_duration",
    "custom_field_values_resolve_for_every_type",
    "cycle_time_runs_from_first_active_status_to_done",
    "status_history_adds_the_current_status_when_missing",
}


@pytest.fixture(scope="module")
def built(module_database, dbt):
    with connection(module_database) as conn:
        load(conn, dataset())
    run = dbt("build")
    assert run.returncode == 0, run.output[-4000:]
    return run


def rows(url, sql, params=None):
    return query(url, sql, params)


def test_every_model_and_test_passes_including_the_unit_tests(built):
    statuses = {r["unique_id"]: r["status"] for r in built.results}
    failed = {
        node: status
        for node, status in statuses.items()
        if status not in ("success", "pass") and not node.startswith("exposure.")
    }
    assert not failed
    ran_units = {node.split(".")[-1] for node in statuses if node.startswith("unit_test.")}
    assert UNIT_TESTS <= ran_units
    marts = {node.split(".")[-1] for node in statuses if node.startswith("model.")}
    assert {"tasks", "task_custom_fields", "task_cycle_times", "sync_health", "lists"} <= marts


def test_tasks_hold_the_latest_version_once(built, module_database):
    tasks = dict(rows(module_database, "select task_id, name from clickup.tasks"))
    assert tasks == {"t-all": "Every field", "t-done": "Ship it", "t-sub": "A subtask"}


def test_task_columns(built, module_database):
    (done,) = rows(
        module_database,
        """
        select status, status_type, is_completed, completed_at, priority, priority_rank, list_name,
               folder_name, space_name, time_estimate_ms, is_subtask, assignee_count
        from clickup.tasks where task_id = 't-done'""",
    )
    assert done == (
        "complete",
        "closed",
        True,
        dt.datetime(2024, 2, 5, 9, tzinfo=dt.timezone.utc),
        None,
        None,
        "Updated List Name",
        "Updated Folder Name",
        "Updated Space Name",
        7200000,
        False,
        1,
    )
    (sub,) = rows(
        module_database,
        """
        select parent_task_id, is_subtask, folder_id, folder_name, list_name, priority, priority_rank,
               time_estimate_ms, is_overdue from clickup.tasks where task_id = 't-sub'""",
    )
    assert sub == ("t-all", True, None, None, "Inbox", "urgent", 1, 1, False)
    (every,) = rows(
        module_database, "select is_overdue, due_at, points from clickup.tasks where task_id = 't-all'"
    )
    assert every == (True, dt.datetime(2024, 2, 20, tzinfo=dt.timezone.utc), Decimal(3))


def test_custom_field_values_read_like_clickup(built, module_database):
    values = dict(
        rows(
            module_database,
            """
        select field_name, value_text from clickup.task_custom_fields where task_id = 't-all'""",
        )
    )
    assert values == {
        "Notes": "Long text",
        "Sprint Goal": "Improve onboarding",
        "Story Points": "8",
        "Budget": "1250.50 USD",
        "Marketing": "Blog Post",
        "Channel": "Phone",
        "Team": "Frontend, Backend",
        "Reviewers": "Sam, John Doe",
        "Launch": "2024-05-17",
        "Approved": "true",
        "Rating": "3/5",
        "Office": "5400 N Pearl St, Tacoma, WA 98407, USA",
        "Progress": "40%",
        "Related": "Ship it",
        "Link": "https://example.com",
        "Contact": "a@example.com",
        "Phone": "+1 555 0100",
        "Score": "42.5",
        "Votes": "2",
    }  # "Unset" has no value and no row
    typed = {
        r[0]: r[1:]
        for r in rows(
            module_database,
            """
        select field_name, value_number, value_timestamp, value_boolean from clickup.task_custom_fields
        where task_id = 't-all' and field_name in ('Budget', 'Launch', 'Approved')""",
        )
    }
    assert typed["Budget"] == (Decimal("1250.5"), None, None)
    assert typed["Launch"] == (None, dt.datetime(2024, 5, 17, 4, tzinfo=dt.timezone.utc), None)
    assert typed["Approved"] == (None, None, True)


def test_bridges(built, module_database):
    assert set(rows(module_database, "select task_id, user_id from clickup.task_assignees")) == {
        ("t-all", 183),
        ("t-done", 183),
        ("t-sub", 184),
    }
    assert len(rows(module_database, "select * from clickup.task_watchers")) == 6
    assert rows(module_database, "select task_id, tag_name from clickup.task_tags") == [("t-all", "backend")]
    assert rows(module_database, "select task_id, list_id, list_name from clickup.task_locations") == [
        ("t-all", "125", "Inbox")
    ]
    assert rows(module_database, "select task_id, depends_on_task_id from clickup.task_dependencies") == [
        ("t-all", "t-done")
    ]
    assert rows(module_database, "select task_id, linked_task_id from clickup.task_links") == [
        ("t-all", "t-sub")
    ]
    assert set(
        rows(
            module_database,
            """
        select checklist_item_id, parent_item_id, is_resolved from clickup.task_checklist_items""",
        )
    ) == {("it-1", None, True), ("it-2", "it-1", False)}


def test_hierarchy_marts(built, module_database):
    lists = {
        r[0]: r[1:]
        for r in rows(
            module_database,
            """
        select list_id, folder_id, folder_name, is_folderless, is_archived, task_count,
               completed_task_count from clickup.lists""",
        )
    }
    assert lists == {
        "124": ("457", "Updated Folder Name", False, False, 2, 1),
        "125": (None, None, True, True, 1, 0),
    }
    assert set(rows(module_database, "select folder_id, parent_folder_id from clickup.folders")) == {
        ("457", None),
        ("458", "457"),
    }
    assert set(rows(module_database, "select space_id, is_archived, list_count from clickup.spaces")) == {
        ("790", False, 2),
        ("791", True, 0),
    }
    assert rows(
        module_database, "select user_id, role, is_invite_pending from clickup.members order by 1"
    ) == [(183, "owner", False), (184, "member", True)]
    assert rows(module_database, "select workspace_id, member_count, task_count from clickup.workspaces") == [
        ("1234", 2, 3)
    ]
    assert rows(module_database, "select group_name, member_count from clickup.user_groups") == [
        ("product managers", 2)
    ]
    assert rows(
        module_database, "select key_result_name, goal_name, steps_current from clickup.key_results"
    ) == [("New Key Result Name", "Updated Goal Name", Decimal(4))]


def test_comments_and_time(built, module_database):
    assert set(rows(module_database, "select comment_id, task_id, is_reply from clickup.comments")) == {
        ("458", "t-done", False),
        ("459", "t-done", True),
    }
    entries = {
        r[0]: r[1:]
        for r in rows(
            module_database,
            """
        select time_entry_id, task_id, list_id, duration_ms, is_running, is_billable, tags
        from clickup.time_entries""",
        )
    }
    assert entries == {
        "1963465985517105840": ("t-done", "124", 5400000, False, True, "deep work"),
        "2": ("t-done", "124", None, True, False, None),
        "3": (None, None, 1800000, False, False, None),
    }
    weekly = set(
        rows(
            module_database,
            """
        select user_id, list_id, week_start, tracked_ms, billable_ms from clickup.time_tracked_weekly""",
        )
    )
    assert weekly == {
        (183, "124", dt.date(2024, 2, 5), 5400000, 5400000),
        (184, None, dt.date(2024, 2, 5), 1800000, 0),
    }


def test_reporting_marts(built, module_database):
    assert rows(
        module_database,
        """
        select lead_time_hours, cycle_time_hours, first_active_at from clickup.task_cycle_times
        where task_id = 't-done'""",
    ) == [(Decimal("96.0000"), Decimal("72.0000"), dt.datetime(2024, 2, 2, 9, tzinfo=dt.timezone.utc))]
    assert rows(
        module_database,
        """
        select status, status_type, minutes_in_status, is_current_status from clickup.task_status_history
        where task_id = 't-done' order by entered_at""",
    ) == [
        ("to do", "open", 1440, False),
        ("in progress", "custom", 4320, False),
        ("complete", "closed", 35000, True),
    ]
    throughput = {
        r[0]: r[1:]
        for r in rows(
            module_database,
            """
        select activity_day, created_count, completed_count, open_count from clickup.task_throughput_daily
        where list_id = '124' and activity_day between '2024-02-01' and '2024-02-06'""",
        )
    }
    assert throughput[dt.date(2024, 2, 1)] == (2, 0, 2)
    assert throughput[dt.date(2024, 2, 5)] == (0, 1, 1)
    workload = {
        r[0]: r[1:]
        for r in rows(
            module_database,
            """
        select user_id, open_task_count, overdue_task_count, estimated_open_ms, tracked_total_ms
        from clickup.assignee_workload""",
        )
    }
    assert workload == {183: (1, 1, 7200000, 5400000), 184: (1, 0, 1, 1800000)}


def test_reader_role_reads_the_marts_and_nothing_else(built, module_database, reader_role):
    assert query(module_database, "select count(*) from clickup.tasks", role=reader_role) == [(3,)]
    for relation in (
        "clickup_raw.tasks",
        "clickup_staging.stg_clickup__tasks",
        "clickup_intermediate.int_tasks_joined",
        "clickup_intermediate.task_mart_builds",
        "clickup_raw.sync_log",
    ):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            query(module_database, f"select 1 from {relation} limit 1", role=reader_role)
    (can_login, super_user) = query(
        module_database, "select rolcanlogin, rolsuper from pg_roles where rolname = %s", (reader_role,)
    )[0]
    assert (can_login, super_user) == (False, False)


def test_every_column_of_the_staging_models_and_marts_is_described(built, dbt, module_database):
    """What the BI role reads (schema `clickup`) and staging hold exactly their documented columns:
    no bookkeeping column in a mart, no undocumented one anywhere."""
    manifest = json.loads((dbt.target / "manifest.json").read_text())
    described = {
        (node["schema"], node["alias"]): {
            name for name, column in node["columns"].items() if column.get("description")
        }
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }
    stored = defaultdict(set)
    for schema, relation, column in rows(
        module_database,
        """
            select table_schema, table_name, column_name from information_schema.columns
            where table_schema in ('clickup', 'clickup_staging')""",
    ):
        stored[(schema, relation)].add(column)
    assert set(stored) == {
        relation for relation in described if relation[0] in ("clickup", "clickup_staging")
    }
    undescribed = {relation: sorted(columns - described[relation]) for relation, columns in stored.items()}
    assert {relation: columns for relation, columns in undescribed.items() if columns} == {}


def test_a_second_build_is_idempotent(built, dbt, module_database, reader_role):
    again = dbt("build", "--select", "tasks", "lists")
    assert again.returncode == 0, again.output[-3000:]
    assert query(module_database, "select count(*) from clickup.lists", role=reader_role) == [(2,)]
