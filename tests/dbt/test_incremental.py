"""Incremental builds after the syncs that follow a first build: a task edited (into a later day), an
old day re-synced with an older copy, a task gone from its day, a deletion confirmed. The marts must
equal a full rebuild, and untouched tasks must not be rebuilt."""

from __future__ import annotations

import copy
import datetime as dt
from typing import NamedTuple

import pytest

from clickup_elt.warehouse import deletions
from clickup_elt.warehouse.db import connection
from clickup_elt.warehouse.load import RawRow, Scope, replace_rows
from pg import query
from raw_examples import WORKSPACE, dataset, load, ms, task

INCREMENTAL_MARTS = [
    "task_assignees",
    "task_watchers",
    "task_tags",
    "task_checklist_items",
    "task_custom_fields",
    "task_status_history",
    "comments",
]
INCREMENTAL_MARTS_READ = {
    "comments": ["int_task_comment_loads"],
    "task_status_history": ["int_tasks_latest", "int_task_time_in_status_latest"],
}
TASK_MARTS = [
    "int_tasks_latest",
    "tasks",
    "task_assignees",
    "task_watchers",
    "task_tags",
    "task_checklist_items",
    "task_custom_fields",
    "int_task_time_in_status_latest",
    "task_status_history",
    "int_task_comment_loads",
    "comments",
]
QUIET_DAY = dt.date(2024, 1, 15)


def snapshot(url: str) -> dict[str, set]:
    """Every task mart's rows, without the bookkeeping column."""
    out = {}
    for model in TASK_MARTS:
        schema = "clickup_intermediate" if model.startswith("int_") else "clickup"
        columns = [
            c
            for (c,) in query(
                url,
                """
            select column_name from information_schema.columns
            where table_schema = %s and table_name = %s and column_name not in
                ('dbt_updated_at', 'synced_at', 'loaded_at', 'load_signature', 'is_overdue')
            order by ordinal_position""",
                (schema, model),
            )
        ]
        listed = ", ".join(f"{c}::text" for c in columns)
        out[model] = set(query(url, f"select {listed} from {schema}.{model}"))
    return out


class FirstBuild(NamedTuple):
    task_rewritten_at: dict[str, dt.datetime]  # int_tasks_latest.dbt_updated_at by task
    quiet_rows: dict[str, list[str]]


def quiet_row_versions(url: str) -> dict[str, list[str]]:
    """The row versions (`xmin`: the transaction that wrote each row) of the untouched task's rows in
    the marts that hold some: unchanged when a build left them alone."""
    return {
        mart: sorted(
            xmin for (xmin,) in query(url, f"select xmin::text from clickup.{mart} where task_id = 't-quiet'")
        )
        for mart in ("task_assignees", "task_watchers")
    }


@pytest.fixture(scope="module")
def rebuilt(module_database, dbt):
    data = dataset()
    quiet = task("t-quiet", name="Untouched", date_updated=ms(dt.datetime(2024, 1, 15, 8)))
    data["tasks"].append(RawRow("t-quiet", quiet, "list", "124", QUIET_DAY))
    with connection(module_database) as conn:
        load(conn, data)
    first = dbt("build")
    assert first.returncode == 0, first.output[-4000:]
    first_build = FirstBuild(
        dict(
            query(
                module_database, "select task_id, dbt_updated_at from clickup_intermediate.int_tasks_latest"
            )
        ),
        quiet_row_versions(module_database),
    )

    by_id = {row.id: row.data for row in data["tasks"] if row.partition_date == dt.date(2024, 3, 1)}
    edited = copy.deepcopy(by_id["t-all"])
    budget = next(f for f in edited["custom_fields"] if f["id"] == "f-currency")
    edited.update(
        name="Every field v2",
        date_updated=ms(dt.datetime(2024, 3, 5, 9)),
        assignees=[],
        tags=[],
        checklists=[],
        custom_fields=[{**budget, "value": 99}],
    )
    old_done = next(row.data for row in data["tasks"] if row.partition_date == dt.date(2024, 2, 3))
    in_status = copy.deepcopy(data["task_time_in_status"][0].data)
    in_status["current_status"]["total_time"]["by_minute"] = 36000  # re-fetched a day later
    in_status["status_history"][-1]["total_time"]["by_minute"] = 36000
    comment = next(row.data for row in data["comments"] if row.id == "458")
    with connection(module_database) as conn:
        # the edit lands in a later day; its day of March 1 is re-synced without it (and without t-sub,
        # which vanished from ClickUp before any sweep confirmed it)
        replace_rows(
            conn,
            "tasks",
            Scope(WORKSPACE, [dt.date(2024, 3, 5)]),
            [RawRow("t-all", edited, "list", "124", dt.date(2024, 3, 5))],
            "run-2",
        )
        replace_rows(
            conn,
            "tasks",
            Scope(WORKSPACE, [dt.date(2024, 3, 1)]),
            [RawRow("t-done", by_id["t-done"], "list", "124", dt.date(2024, 3, 1))],
            "run-2",
        )
        # an old day re-synced later still holds t-done's older copy: it must not win
        replace_rows(
            conn,
            "tasks",
            Scope(WORKSPACE, [dt.date(2024, 2, 3)]),
            [RawRow("t-done", old_done, "list", "124", dt.date(2024, 2, 3))],
            "run-3",
        )
        deletions.record(conn, WORKSPACE, "task", {"t-done": (deletions.DELETED, by_id["t-done"])}, "run-4")
        replace_rows(
            conn,
            "task_time_in_status",
            Scope(WORKSPACE, task_ids=["t-done"]),
            [RawRow("t-done", in_status, "task", "t-done", dt.date(2024, 3, 1))],
            "run-5",
        )
        # t-done's comments read again: one edited, its reply deleted; t-all has its first comment
        replace_rows(
            conn,
            "comments",
            Scope(WORKSPACE, task_ids=["t-done", "t-all"]),
            [
                RawRow("458", {**comment, "comment_text": "Edited"}, "task", "t-done", dt.date(2024, 3, 1)),
                RawRow(
                    "460",
                    {**comment, "id": "460", "comment_text": "First"},
                    "task",
                    "t-all",
                    dt.date(2024, 3, 5),
                ),
            ],
            "run-5",
        )
        # a column the mart's contract does not list (a table built under an older contract): dropped
        with conn.cursor() as cur:
            cur.execute("alter table clickup.task_tags add column dbt_updated_at timestamptz")
    second = dbt("build")
    assert second.returncode == 0, second.output[-4000:]
    return first_build


def test_marts_follow_the_latest_syncs(rebuilt, module_database):
    assert dict(query(module_database, "select task_id, name from clickup.tasks")) == {
        "t-all": "Every field v2",
        "t-done": "Ship it",
        "t-quiet": "Untouched",
    }
    assert dict(query(module_database, "select task_id, is_deleted from clickup.tasks")) == {
        "t-all": False,
        "t-done": True,
        "t-quiet": False,
    }
    assert set(query(module_database, "select task_id, user_id from clickup.task_assignees")) == {
        ("t-done", 183),
        ("t-quiet", 183),
    }
    assert query(
        module_database, "select field_id, value_text from clickup.task_custom_fields where task_id = 't-all'"
    ) == [("f-currency", "99.00 USD")]
    assert query(module_database, "select count(*) from clickup.task_tags") == [(0,)]
    assert query(module_database, "select count(*) from clickup.task_checklist_items") == [(0,)]
    assert query(module_database, "select count(*) from clickup.task_watchers where task_id = 't-sub'") == [
        (0,)
    ]
    assert query(
        module_database,
        "select status, minutes_in_status from clickup.task_status_history "
        "where task_id = 't-done' order by status",
    ) == [("complete", 36000), ("in progress", 4320), ("to do", 1440)]
    assert query(
        module_database, "select comment_id, task_id, comment_text from clickup.comments order by comment_id"
    ) == [("458", "t-done", "Edited"), ("460", "t-all", "First")]


def test_untouched_tasks_were_not_rebuilt(rebuilt, module_database):
    now = dict(
        query(module_database, "select task_id, dbt_updated_at from clickup_intermediate.int_tasks_latest")
    )
    assert now["t-quiet"] == rebuilt.task_rewritten_at["t-quiet"]
    assert now["t-all"] > rebuilt.task_rewritten_at["t-all"]
    assert now["t-done"] > rebuilt.task_rewritten_at["t-done"]
    assert all(rebuilt.quiet_rows.values())
    assert quiet_row_versions(module_database) == rebuilt.quiet_rows


def test_each_incremental_mart_records_its_build_outside_the_bi_schema(rebuilt, module_database):
    """Each mart's build is recorded after the rows it read were rewritten (so the next build takes
    only later rewrites), and no mart carries a bookkeeping column."""
    builds = dict(
        query(module_database, "select model_name, built_at from clickup_intermediate.task_mart_builds")
    )
    assert set(builds) == set(INCREMENTAL_MARTS)
    for mart, built_at in builds.items():
        for model in INCREMENTAL_MARTS_READ.get(mart, ["int_tasks_latest"]):
            ((rewritten,),) = query(
                module_database, f"select max(dbt_updated_at) from clickup_intermediate.{model}"
            )
            assert built_at > rewritten, (mart, model)
    assert (
        query(
            module_database,
            """
        select table_name, column_name from information_schema.columns
        where table_schema = 'clickup' and column_name = 'dbt_updated_at'""",
        )
        == []
    )


def test_incremental_marts_equal_a_full_rebuild(rebuilt, module_database, dbt):
    incremental = snapshot(module_database)
    full = dbt(
        "run",
        "--full-refresh",
        "--select",
        "int_tasks_latest+",
        "int_task_time_in_status_latest+",
        "int_task_comment_loads+",
    )
    assert full.returncode == 0, full.output[-4000:]
    assert snapshot(module_database) == incremental
