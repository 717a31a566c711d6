"""Raw rows built from ClickUp's documented example responses (shared/clickup/examples), shaped the
way the extraction stores them, plus a few hand-made records for the cases the examples lack."""

from __future__ import annotations

import copy
import datetime as dt

from clickup_elt.warehouse.load import RawRow

WORKSPACE = "1234"
DAY = dt.date(2024, 3, 1)


def ms(when: dt.datetime) -> str:
    return str(int(when.replace(tzinfo=dt.timezone.utc).timestamp() * 1000))


USER = {
    "id": 183,
    "username": "John Doe",
    "email": "johndoe@gmail.com",
    "color": "#827718",
    "initials": "JD",
    "profilePicture": None,
}
USER_2 = {
    "id": 184,
    "username": "Sam",
    "email": "sam@example.com",
    "color": "#FF8600",
    "initials": "S",
    "profilePicture": None,
}

DROP_DOWN = {
    "id": "dd-1",
    "name": "Marketing",
    "type": "drop_down",
    "type_config": {
        "options": [
            {"id": "opt-0", "name": "None", "orderindex": 0},
            {"id": "opt-1", "name": "Blog Post", "orderindex": 1},
            {"id": "opt-2", "name": "Press", "orderindex": 2},
        ]
    },
}
LABELS = {
    "id": "lb-1",
    "name": "Team",
    "type": "labels",
    "type_config": {
        "options": [
            {"id": "lab-a", "label": "Frontend", "orderindex": 0},
            {"id": "lab-b", "label": "Backend", "orderindex": 1},
        ]
    },
}


def field(definition: dict, value=None, **extra) -> dict:
    item = {
        "date_created": "1621915186877",
        "hide_from_guests": False,
        "required": False,
        "type_config": {},
        **copy.deepcopy(definition),
        **extra,
    }
    if value is not None:
        item["value"] = value
    return item


def task(task_id: str, **overrides) -> dict:
    base = {
        "id": task_id,
        "custom_id": None,
        "custom_item_id": 0,
        "name": f"Task {task_id}",
        "text_content": "Plain text",
        "description": "Plain text",
        "markdown_description": "**Plain** text",
        "status": {"id": "p1_open", "status": "to do", "type": "open", "orderindex": 0, "color": "#d3d3d3"},
        "orderindex": "1.0000",
        "date_created": ms(dt.datetime(2024, 2, 1, 9)),
        "date_updated": ms(dt.datetime(2024, 3, 1, 10)),
        "date_closed": None,
        "date_done": None,
        "archived": False,
        "creator": USER,
        "assignees": [USER],
        "group_assignees": [],
        "watchers": [USER, USER_2],
        "checklists": [],
        "tags": [],
        "parent": None,
        "top_level_parent": None,
        "priority": {"id": "2", "priority": "high", "color": "#ffcc00", "orderindex": "2"},
        "due_date": None,
        "start_date": None,
        "points": None,
        "time_estimate": 7200000,
        "time_spent": 3600000,
        "custom_fields": [],
        "dependencies": [],
        "linked_tasks": [],
        "locations": [],
        "team_id": WORKSPACE,
        "url": f"https://app.clickup.com/t/{task_id}",
        "list": {"id": "124", "name": "List", "access": True},
        "project": {"id": "457", "name": "Folder", "hidden": False, "access": True},
        "folder": {"id": "457", "name": "Folder", "hidden": False, "access": True},
        "space": {"id": "790"},
    }
    base.update(overrides)
    return base


ALL_TYPES = [
    field({"id": "f-text", "name": "Notes", "type": "text"}, "Long text"),
    field({"id": "f-short", "name": "Sprint Goal", "type": "short_text"}, "Improve onboarding"),
    field({"id": "f-number", "name": "Story Points", "type": "number"}, "8"),
    field(
        {
            "id": "f-currency",
            "name": "Budget",
            "type": "currency",
            "type_config": {"precision": 2, "currency_type": "USD"},
        },
        "1250.5",
    ),
    field(DROP_DOWN, 1),
    field(
        {
            "id": "dd-2",
            "name": "Channel",
            "type": "drop_down",
            "type_config": {
                "options": [
                    {"id": "ch-0", "name": "Email", "orderindex": 0},
                    {"id": "ch-1", "name": "Phone", "orderindex": 1},
                ]
            },
        },
        "ch-1",
    ),
    field(LABELS, ["lab-b", "lab-a"]),
    field({"id": "f-users", "name": "Reviewers", "type": "users"}, [USER_2, USER]),
    field({"id": "f-date", "name": "Launch", "type": "date"}, ms(dt.datetime(2024, 5, 17, 4))),
    field({"id": "f-check", "name": "Approved", "type": "checkbox"}, "true"),
    field(
        {
            "id": "f-emoji",
            "name": "Rating",
            "type": "emoji",
            "type_config": {"code_point": "2b50", "count": 5},
        },
        3,
    ),
    field(
        {"id": "f-location", "name": "Office", "type": "location"},
        {
            "location": {"lat": 47.3, "lng": -122.5},
            "place_id": "x",
            "formatted_address": "5400 N Pearl St, Tacoma, WA 98407, USA",
        },
    ),
    field(
        {
            "id": "f-progress",
            "name": "Progress",
            "type": "automatic_progress",
            "type_config": {"method": "automatic"},
        },
        {"current": "2", "percent_completed": 0.4},
    ),
    field({"id": "f-tasks", "name": "Related", "type": "tasks"}, [{"id": "t-done", "name": "Ship it"}]),
    field({"id": "f-url", "name": "Link", "type": "url"}, "https://example.com"),
    field({"id": "f-email", "name": "Contact", "type": "email"}, "a@example.com"),
    field({"id": "f-phone", "name": "Phone", "type": "phone"}, "+1 555 0100"),
    field({"id": "f-formula", "name": "Score", "type": "formula"}, 42.5),
    field({"id": "f-votes", "name": "Votes", "type": "votes"}, [183, 184]),
    field({"id": "f-unset", "name": "Unset", "type": "short_text"}),
]


def dataset() -> dict[str, list[RawRow]]:
    """Rows per raw entity for workspace 1234: two spaces, a folder, a folder list and a folderless
    list, four tasks (one with every custom field type, one done with an older copy left behind in
    an earlier partition, one subtask), comments with a reply, time entries and time in status."""
    ws = WORKSPACE
    members = [
        {
            "user": {
                **USER,
                "role": 1,
                "role_key": "owner",
                "last_active": ms(dt.datetime(2024, 3, 1)),
                "date_joined": ms(dt.datetime(2023, 1, 1)),
                "date_invited": ms(dt.datetime(2022, 12, 30)),
            }
        },
        {
            "user": {
                **USER_2,
                "role": 3,
                "role_key": "member",
                "last_active": None,
                "date_joined": None,
                "date_invited": ms(dt.datetime(2024, 1, 2)),
            },
            "invited_by": USER,
        },
    ]
    team = {"id": ws, "name": "My ClickUp Workspace", "color": "#000000", "avatar": None, "members": members}
    folderless = {
        "id": "125",
        "name": "Inbox",
        "orderindex": 2,
        "content": "",
        "status": None,
        "priority": None,
        "assignee": None,
        "task_count": 1,
        "due_date": None,
        "start_date": None,
        "folder": {"id": "9", "name": "hidden", "hidden": True, "access": True},
        "space": {"id": "790", "name": "Updated Space Name", "access": True},
        "archived": True,
        "override_statuses": False,
        "permission_level": "create",
    }
    folder_list = {
        "id": "124",
        "name": "Updated List Name",
        "orderindex": 1,
        "content": "Content",
        "status": {"status": "red", "color": "#e50000", "hide_label": True},
        "priority": {"priority": "high", "color": "#f50000"},
        "assignee": None,
        "task_count": 10,
        "due_date": "1567780450202",
        "start_date": None,
        "folder": {"id": "457", "name": "Updated Folder Name", "hidden": False, "access": True},
        "space": {"id": "790", "name": "Updated Space Name", "access": True},
        "archived": False,
        "override_statuses": False,
        "permission_level": "create",
    }
    space = {
        "id": "790",
        "name": "Updated Space Name",
        "private": False,
        "color": None,
        "avatar": None,
        "admin_can_manage": True,
        "archived": False,
        "multiple_assignees": True,
        "statuses": [
            {"status": "to do", "type": "open", "orderindex": 0, "color": "#d3d3d3"},
            {"status": "in progress", "type": "custom", "orderindex": 1, "color": "#4194f6"},
            {"status": "complete", "type": "closed", "orderindex": 2, "color": "#6bc950"},
        ],
        "features": {"time_tracking": {"enabled": True}, "time_estimates": {"enabled": True}},
    }
    archived_space = {"id": "791", "name": "Old Space", "private": True, "archived": True, "statuses": []}
    folder = {
        "id": "457",
        "name": "Updated Folder Name",
        "orderindex": 0,
        "override_statuses": False,
        "hidden": False,
        "space": {"id": "790", "name": "Updated Space Name", "access": True},
        "task_count": "0",
        "archived": False,
        "lists": [],
    }
    subfolder = {
        "id": "458",
        "name": "Second Folder Name",
        "orderindex": 1,
        "override_statuses": False,
        "hidden": False,
        "space": {"id": "790", "name": "Updated Space Name", "access": True},
        "task_count": "0",
        "lists": [],
        "parent_folder": "457",
    }

    created = dt.datetime(2024, 2, 1, 9)
    started = dt.datetime(2024, 2, 2, 9)
    done = dt.datetime(2024, 2, 5, 9)
    t_all = task(
        "t-all",
        name="Every field",
        custom_fields=ALL_TYPES,
        tags=[{"name": "backend", "tag_fg": "#fff", "tag_bg": "#000"}],
        locations=[{"id": "125", "name": "Inbox"}],
        due_date=ms(dt.datetime(2024, 2, 20)),
        points=3,
        checklists=[
            {
                "id": "cl-1",
                "task_id": "t-all",
                "name": "Checklist",
                "orderindex": 1,
                "items": [
                    {
                        "id": "it-1",
                        "name": "first",
                        "orderindex": 0,
                        "assignee": USER,
                        "resolved": True,
                        "parent": None,
                        "date_created": "1618455810454",
                        "children": [
                            {
                                "id": "it-2",
                                "name": "nested",
                                "orderindex": 0,
                                "assignee": None,
                                "resolved": False,
                                "parent": "it-1",
                                "children": [],
                            }
                        ],
                    }
                ],
            }
        ],
        dependencies=[
            {
                "task_id": "t-all",
                "depends_on": "t-done",
                "type": 1,
                "date_created": "1618455810454",
                "userid": 183,
                "workspace_id": ws,
            }
        ],
        linked_tasks=[
            {
                "task_id": "t-all",
                "link_id": "t-sub",
                "date_created": "1618455810454",
                "userid": 183,
                "workspace_id": ws,
            }
        ],
    )
    t_done_old = task("t-done", name="Ship it (old name)", date_updated=ms(dt.datetime(2024, 2, 3, 10)))
    t_done = task(
        "t-done",
        name="Ship it",
        status={"status": "complete", "type": "closed", "orderindex": 2, "color": "#6bc950"},
        date_created=ms(created),
        date_updated=ms(dt.datetime(2024, 3, 1, 8)),
        date_closed=ms(done),
        date_done=ms(done),
        priority=None,
        dependencies=[
            {
                "task_id": "t-all",
                "depends_on": "t-done",
                "type": 0,
                "date_created": "1618455810454",
                "userid": 183,
                "workspace_id": ws,
            }
        ],
    )
    t_sub = task(
        "t-sub",
        name="A subtask",
        parent="t-all",
        top_level_parent="t-all",
        list={"id": "125", "name": "Inbox", "access": True},
        folder={"id": "9", "name": "hidden", "hidden": True, "access": True},
        project={"id": "9", "name": "hidden", "hidden": True, "access": True},
        priority=1,
        time_estimate=1.2,
        assignees=[USER_2],
    )
    tasks = [(t_all, DAY), (t_done_old, dt.date(2024, 2, 3)), (t_done, DAY), (t_sub, DAY)]

    comment = {
        "id": "458",
        "comment": [{"text": "Task comment content"}],
        "comment_text": "Task comment content",
        "user": USER,
        "resolved": False,
        "assignee": USER,
        "assigned_by": USER,
        "reactions": [],
        "date": "1568036964079",
        "reply_count": "1",
    }
    reply = {
        **comment,
        "id": "459",
        "comment_text": "A reply",
        "user": USER_2,
        "assignee": None,
        "assigned_by": None,
        "reply_count": "0",
    }
    entry = {
        "id": "1963465985517105840",
        "task": {"id": "t-done", "name": "Ship it"},
        "wid": ws,
        "user": USER,
        "billable": True,
        "start": int(ms(dt.datetime(2024, 2, 6, 9))),
        "end": int(ms(dt.datetime(2024, 2, 6, 10, 30))),
        "duration": "5400000",
        "description": "",
        "tags": [{"name": "deep work"}],
        "source": "clickup",
        "at": ms(dt.datetime(2024, 2, 6, 10, 30)),
        "task_location": {"list_id": 124, "folder_id": 457, "space_id": 790},
    }
    running = {
        **entry,
        "id": "2",
        "billable": False,
        "start": int(ms(dt.datetime(2024, 2, 6, 11))),
        "end": None,
        "duration": "-1707217200000",
        "tags": [],
    }
    no_task = {
        **entry,
        "id": "3",
        "task": None,
        "task_location": None,
        "user": USER_2,
        "duration": "1800000",
        "billable": False,
        "tags": [],
    }
    time_in_status = {
        "current_status": {
            "status": "complete",
            "color": "#6bc950",
            "total_time": {"by_minute": 35000, "since": ms(done)},
        },
        "status_history": [
            {
                "status": "to do",
                "color": "#d3d3d3",
                "type": "open",
                "total_time": {"by_minute": 1440, "since": ms(created)},
                "orderindex": 0,
            },
            {
                "status": "in progress",
                "color": "#4194f6",
                "type": "custom",
                "total_time": {"by_minute": 4320, "since": ms(started)},
                "orderindex": 1,
            },
            {
                "status": "complete",
                "color": "#6bc950",
                "type": "closed",
                "total_time": {"by_minute": 35000, "since": ms(done)},
                "orderindex": 2,
            },
        ],
    }
    goal = {
        "id": "e53a033c-900e-462d-a849-4a216b06d930",
        "name": "Updated Goal Name",
        "team_id": ws,
        "date_created": "1568044355026",
        "start_date": None,
        "due_date": "1568036964079",
        "description": "Goal Description",
        "private": False,
        "archived": False,
        "creator": 183,
        "color": "#32a852",
        "pretty_id": "6",
        "multiple_owners": True,
        "folder_id": None,
        "members": [],
        "owners": [USER],
        "key_results": [],
        "percent_completed": 0,
        "history": [],
        "pretty_url": "https://app.clickup.com/512/goals/6",
    }
    key_result = {
        "id": "947d46ed-8480-49bc-8c57-e569747efe93",
        "goal_id": goal["id"],
        "name": "New Key Result Name",
        "type": "number",
        "unit": "km",
        "creator": 183,
        "date_created": "1568062902048",
        "goal_pretty_id": "6",
        "percent_completed": None,
        "completed": False,
        "task_ids": [],
        "subcategory_ids": [],
        "owners": [USER],
        "steps_start": 0,
        "steps_end": 10,
        "steps_current": 4,
    }
    goal["key_results"] = [key_result]
    groups = [
        {
            "id": "4bfdfcec",
            "team_id": ws,
            "userid": 183,
            "name": "product managers",
            "handle": "product",
            "date_created": "1640122639829",
            "initials": "PT",
            "members": [USER, USER_2],
        }
    ]

    return {
        "workspaces": [RawRow(ws, team)],
        "members": [RawRow(str(m["user"]["id"]), m, "workspace", ws) for m in members],
        "user_groups": [RawRow(g["id"], g, "workspace", ws) for g in groups],
        "spaces": [RawRow("790", space, "workspace", ws), RawRow("791", archived_space, "workspace", ws)],
        "folders": [RawRow("457", folder, "space", "790"), RawRow("458", subfolder, "folder", "457")],
        "lists": [RawRow("124", folder_list, "folder", "457"), RawRow("125", folderless, "space", "790")],
        "custom_fields": [
            RawRow(DROP_DOWN["id"], field(DROP_DOWN), "list", "124"),
            RawRow(LABELS["id"], field(LABELS), "space", "790"),
        ],
        "tags": [
            RawRow("790:backend", {"name": "backend", "tag_fg": "#fff", "tag_bg": "#000"}, "space", "790")
        ],
        "tasks": [RawRow(t["id"], t, "list", t["list"]["id"], day) for t, day in tasks],
        "comments": [
            RawRow("458", comment, "task", "t-done", DAY),
            RawRow("459", reply, "comment", "458", DAY),
        ],
        "time_entries": [
            RawRow(
                e["id"],
                e,
                "task" if e.get("task") else None,
                (e.get("task") or {}).get("id"),
                dt.date(2024, 2, 6),
            )
            for e in (entry, running, no_task)
        ],
        "task_time_in_status": [RawRow("t-done", time_in_status, "task", "t-done", DAY)],
        "goals": [RawRow(goal["id"], goal, "workspace", ws)],
        "key_results": [RawRow(key_result["id"], key_result, "goal", goal["id"])],
    }


def load(
    conn, rows_by_entity: dict[str, list[RawRow]], run_id: str = "run-1", workspace_id: str = WORKSPACE
) -> None:
    """Load rows the way the extraction does: per entity, per daily partition (so the same task can
    sit in two partitions), or the whole workspace for unpartitioned entities."""
    from clickup_elt.warehouse.load import Scope, replace_rows

    for entity, rows in rows_by_entity.items():
        days = sorted({row.partition_date for row in rows if row.partition_date})
        if not days:
            replace_rows(conn, entity, Scope(workspace_id), rows, run_id)
            continue
        for day in days:
            replace_rows(
                conn,
                entity,
                Scope(workspace_id, [day]),
                [row for row in rows if row.partition_date == day],
                run_id,
            )
