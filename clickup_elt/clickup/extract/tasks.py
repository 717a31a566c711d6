"""Tasks: the workspace endpoint for everything it serves, per-list reads only for archived lists.

`GET /team/{id}/task` pages 100 tasks with subtasks and closed ones included, once for active and once
for archived tasks, over a `date_updated` window. It leaves out tasks that live in archived lists, so
those lists are read with `GET /list/{id}/task`; a list deleted or made private meanwhile is skipped
and noted in `findings` (its stored tasks stay as they are).
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Iterator

from clickup_elt.clickup import vanished
from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.pagination import iter_pages, iter_tasks_by_updated
from clickup_elt.clickup.windows import DayRange
from clickup_elt.records import Findings, RawRow

TASK_FLAGS = {"include_closed": "true", "subtasks": "true", "include_markdown_description": "true"}


def task_row(task: dict, days: DayRange) -> RawRow:
    return RawRow(
        id=str(task["id"]),
        data=task,
        parent_type="list",
        parent_id=str((task.get("list") or {}).get("id") or "") or None,
        partition_date=days.partition_for(task.get("date_updated")),
    )


def tasks(
    client: ClickUpClient,
    workspace_id: str,
    days: DayRange,
    archived_list_ids: Iterable[str] = (),
    list_ids: Collection[str] = (),
    findings: Findings | None = None,
) -> Iterator[RawRow]:
    """Every task updated in `days` (only those of `list_ids` when given): the workspace endpoint
    for tasks in live lists, then the archived lists one by one."""
    findings = findings if findings is not None else Findings()
    archived_lists = list(archived_list_ids)
    only = list(list_ids)
    if only:
        archived_lists = [lst for lst in archived_lists if lst in set(only)]
        only = [lst for lst in only if lst not in set(archived_lists)]
    if only or not list_ids:
        filters = {"list_ids[]": only} if only else {}
        get = functools.partial(client.get, key="tasks")
        for archived in ("false", "true"):
            for page in iter_tasks_by_updated(
                get,
                f"team/{workspace_id}/task",
                {**TASK_FLAGS, **filters, "archived": archived},
                days.from_ms,
                days.before_ms,
                endpoint="GET /team/{team_id}/task",
            ):
                for task in page:
                    yield task_row(task, days)
    yield from archived_list_tasks(client, archived_lists, days, findings)


def archived_list_tasks(
    client: ClickUpClient, list_ids: Iterable[str], days: DayRange, findings: Findings
) -> Iterator[RawRow]:
    window = {}
    if days.from_ms is not None:
        window["date_updated_gt"] = days.from_ms - 1
    if days.before_ms is not None:
        window["date_updated_lt"] = days.before_ms
    for list_id in list_ids:
        get = functools.partial(vanished.read, client, findings, "list", list_id, key="tasks")
        for archived in ("false", "true"):
            params = {**TASK_FLAGS, **window, "archived": archived, "include_timl": "false"}
            for page in iter_pages(get, f"list/{list_id}/task", params, endpoint="GET /list/{list_id}/task"):
                for task in page:
                    yield task_row(task, days)


def fetch_task(client: ClickUpClient, task_id: str, findings: Findings) -> dict | None:
    """One task as `GET /task/{id}` serves it; None (noted in `findings`) when it is gone."""
    return vanished.read(
        client,
        findings,
        "task",
        task_id,
        f"task/{task_id}",
        {"include_markdown_description": TASK_FLAGS["include_markdown_description"]},
        endpoint="GET /task/{task_id}",
        key="id",
    )
