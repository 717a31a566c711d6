"""The parts of webhook history items, shaped like ClickUp's documented payloads (tests/simulator/
examples/webhook_*.docs.json): users, statuses, priorities, tags, list locations, time estimates,
tracked intervals, comments and custom field definitions. They are built from the records the API
renders, so a payload and a later read of the same object agree."""

from __future__ import annotations

import orjson

from clickup_simulator.generation.ids import time_entry_id, uuid_from
from clickup_simulator.rendering import jsonio

REMOVED_STATUS = {"status": None, "color": "#000000", "type": "removed", "orderindex": -1}


def user(state, pos: int) -> dict:
    u = state.world.users[pos]
    return {
        "id": u.id,
        "username": u.username,
        "email": u.email,
        "color": u.color,
        "initials": u.initials,
        "profilePicture": u.picture,
    }


def status(rendered: dict | None) -> dict:
    """A task's status without its id, as history items carry it."""
    if rendered is None:
        return dict(REMOVED_STATUS)
    return {k: rendered[k] for k in ("status", "color", "orderindex", "type")}


def priority(rendered: dict | None) -> dict | None:
    if rendered is None:
        return None
    return {k: rendered[k] for k in ("id", "priority", "color", "orderindex")}


def tag(rendered: dict) -> dict:
    return {k: rendered[k] for k in ("name", "tag_fg", "tag_bg", "creator")}


def location(state, list_id: str) -> dict:
    """A list as `section_moved` names it: the list, its folder ("category") and space ("project")."""
    lst = state.list_by_id[list_id]
    space = state.world.spaces[lst.space]
    if lst.folder is None:
        category = {"id": space.hidden_folder_id, "name": "hidden", "hidden": True}
    else:
        folder = state.world.folders[lst.folder]
        category = {"id": folder.id, "name": folder.name, "hidden": False}
    return {
        "id": lst.id,
        "name": lst.name,
        "category": category,
        "project": {"id": space.id, "name": space.name},
    }


def duration_text(ms: int | None) -> str | None:
    """ "1 hour 30 minutes", as ClickUp words a time estimate."""
    if ms is None:
        return None
    minutes = int(ms) // 60_000
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def time_estimate_data(before: int | None, after: int | None, user_id: int) -> dict:
    return {
        "time_estimate_string": duration_text(after),
        "old_time_estimate_string": duration_text(before),
        "rolled_up_time_estimate": after,
        "time_estimate": after,
        "time_estimates_by_user": []
        if after is None
        else [{"userid": user_id, "user_time_estimate": str(after), "user_rollup_time_estimate": str(after)}],
    }


def interval(entries, k: int) -> dict:
    """A tracked interval of `time_spent` items (a running timer has no end and no time yet)."""
    start, duration = int(entries.column("start")[k]), int(entries.column("duration")[k])
    running = duration < 0
    return {
        "id": time_entry_id(k),
        "start": str(start),
        "end": None if running else str(start + duration),
        "time": None if running else str(duration),
        "source": "clickup",
        "date_added": str(int(entries.column("at")[k])),
    }


def delta(text: str, seed: int, salt: int) -> str:
    """A description as ClickUp's editor stores it: a Quill delta, serialised to a JSON string."""
    block = f"block-{uuid_from(seed, 0xB10C, salt)}"
    ops = {"ops": [{"insert": text}, {"insert": "\n", "attributes": {"block-id": block}}]}
    return jsonio.dumps(ops).decode("utf-8", "surrogatepass")


def comment(state, record: dict, task_id: str, seed: int) -> dict:
    """The comment object of `taskCommentPosted` / `taskCommentUpdated`."""
    author = user(state, record["user"])
    block = f"block-{uuid_from(seed, 0xC0, int(record['id']))}"
    return {
        "id": record["id"],
        "date": str(record["date"]),
        "parent": task_id,
        "type": 1,
        "comment": [
            {"text": record["text"], "attributes": {}},
            {"text": "\n", "attributes": {"block-id": block}},
        ],
        "text_content": record["text"] + "\n",
        **dict.fromkeys(("x", "y", "image_y", "image_x", "page", "comment_number", "page_id")),
        **dict.fromkeys(("page_name", "view_id", "view_name", "team")),
        "user": author,
        "new_thread_count": 0,
        "new_mentioned_thread_count": 0,
        "email_attachments": [],
        "threaded_users": [],
        "threaded_replies": 0,
        "threaded_assignees": 0,
        "threaded_assignees_members": [],
        "threaded_unresolved_count": 0,
        "thread_followers": [author],
        "group_thread_followers": [],
        "reactions": [],
        "emails": [],
    }


def custom_field(state, field_id: str) -> dict:
    """A field definition as `custom_field` history items carry it."""
    f = state.field_by_id[field_id]
    ws = state.world.workspaces[f.ws]
    return {
        "id": f.id,
        "name": f.name,
        "type": f.type,
        "type_config": orjson.loads(orjson.dumps(f.type_config)),
        "values_set": None,
        "userid": str(ws.members[0].user.id),
        "date_created": str(f.date_created),
        "hide_from_guests": f.hide_from_guests,
        "team_id": ws.id,
        "deleted": False,
        "deleted_by": None,
        "pinned": False,
        "required": f.required,
        "required_on_subtasks": False,
        "linked_subcategory": None,
    }


def field_value(definition: dict, rendered: dict | None):
    """A custom field value as `after`/`before` name it: a drop-down's option id, else the value."""
    if rendered is None or "value" not in rendered:
        return None
    value = rendered["value"]
    if definition["type"] == "drop_down" and isinstance(value, int):
        options = definition["type_config"].get("options") or []
        match = next((o for o in options if o.get("orderindex") == value), None)
        return match["id"] if match else value
    return value
