"""The least number of requests ClickUp's endpoints allow for a sync, derived from the workspace's shape
(docs/clickup-api.md §8); `extraction_requests.py` prints ours beside it, item by item."""

from __future__ import annotations

import math
from collections import Counter


def pages(n: int, size: int = 100) -> int:
    """Requests to page through n rows: at least one, and `last_page` ends a full last page."""
    return max(1, math.ceil(n / size))


def shape(sim, ws: str) -> dict:
    """What the least counts depend on, read from the simulator's ground truth."""
    archived_lists = set(sim.truth.archived_list_ids(ws))
    on_endpoint, in_archived = Counter(), Counter()
    parents = set()
    for task in sim.truth.tasks(ws):
        if task["list"]["id"] in archived_lists:
            in_archived[(task["list"]["id"], task["archived"])] += 1
        else:
            on_endpoint[task["archived"]] += 1
        parents.add(task.get("parent"))
    return {
        "spaces": len(sim.truth.spaces(ws)),
        "folders": len(sim.truth.folders(ws)),
        "lists": len(sim.truth.lists(ws)),
        "goals": len(sim.truth.goals(ws)),
        "active_tasks_on_workspace_endpoint": on_endpoint[False],
        "archived_tasks_on_workspace_endpoint": on_endpoint[True],
        "tasks_in_archived_lists": {
            lst: [in_archived[(lst, False)], in_archived[(lst, True)]] for lst in sorted(archived_lists)
        },
        "tasks": on_endpoint.total() + in_archived.total(),
        "_parents": parents,
    }


def least(s: dict, changed_active: int | None = None) -> list[tuple[str, int, str, tuple]]:
    """(item, requests, formula, our endpoints for it): a full sync, or with `changed_active` an
    incremental one (a cursor at the previous sync's newest `date_updated`)."""
    S, F, L, G = s["spaces"], s["folders"], s["lists"], s["goals"]
    items = [
        ("GET /team (workspace, members)", 1, "1", ("GET /team",)),
        ("spaces", 2, "2 (archived false and true)", ("GET /team/{team_id}/space",)),
        (
            "per space: folders, folderless lists, tags",
            5 * S,
            f"{S} spaces x (2 + 2 + 1)",
            ("GET /space/{space_id}/folder", "GET /space/{space_id}/list", "GET /space/{space_id}/tag"),
        ),
        ("per folder: lists", 2 * F, f"{F} folders x 2", ("GET /folder/{folder_id}/list",)),
        (
            "custom fields",
            1 + S + F + L,
            f"1 team + {S} spaces + {F} folders + {L} lists (list-level "
            "fields show only on the list endpoint)",
            (
                "GET /team/{team_id}/field",
                "GET /space/{space_id}/field",
                "GET /folder/{folder_id}/field",
                "GET /list/{list_id}/field",
            ),
        ),
        ("user groups", 1, "1", ("GET /group",)),
        (
            "goals and key results",
            1 + G,
            f"1 + {G} goals (key results come per goal)",
            ("GET /team/{team_id}/goal", "GET /goal/{goal_id}"),
        ),
    ]
    entries = ("GET /team/{team_id}/time_entries",)
    if changed_active is not None:
        return items + [
            (
                "tasks changed since the last sync",
                pages(changed_active) + 1,
                f"ceil({changed_active}/100) active + 1 archived page, no per-list reads",
                ("GET /team/{team_id}/task", "GET /list/{list_id}/task"),
            ),
            ("time entries", 1, "1 trailing window (no updated-since filter)", entries),
        ]
    active, archived = s["active_tasks_on_workspace_endpoint"], s["archived_tasks_on_workspace_endpoint"]
    walled = s["tasks_in_archived_lists"]
    return items + [
        (
            "tasks, workspace endpoint",
            pages(active) + pages(archived),
            f"ceil({active}/100) + ceil({archived}/100)",
            ("GET /team/{team_id}/task",),
        ),
        (
            "tasks of archived lists",
            sum(pages(a) + pages(b) for a, b in walled.values()),
            f"{len(walled)} lists x (archived false + true), ceil(n/100) each",
            ("GET /list/{list_id}/task",),
        ),
        ("time entries", 1, "1 range (the endpoint is not paginated)", entries),
    ]


def comment_floor(sim, ws: str, task_ids=None) -> int:
    """Per task: one call per 25 comments, plus one to see the end; one call per comment with replies."""
    top, owner, with_replies = Counter(), {}, set()
    for parent_type, parent_id, comment in sim.truth.all_comments(ws):
        if parent_type == "task":
            top[parent_id] += 1
            owner[str(comment["id"])] = parent_id
        else:
            with_replies.add(parent_id)
    tasks = set(task_ids if task_ids is not None else sim.truth.task_ids(ws))
    return sum(top[t] // 25 + 1 for t in tasks) + sum(owner.get(c) in tasks for c in with_replies)
