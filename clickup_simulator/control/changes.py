"""The control API's changes (`/_sim/tasks`, `/lists`, …, `/triggers`): the mutations of `Simulator` over
HTTP, with the same arguments. The paths are listed in `routing`; routes with fewer parameters are
tried first, so the specific ones win over the generic `/{kind}/{id}` ones."""

from __future__ import annotations

from clickup_simulator.control.routing import route

TRIGGER_KEYS = {"after", "count", "action", "id", "args"}


@route("GET", "/triggers")
def triggers(sim, body, query):
    return sim.triggers.list()


@route("POST", "/triggers")
def add_trigger(sim, body, query):
    """`{"after", "count", "action", "id", "args"}`; other keys are taken as arguments of the action too."""
    args = {**(body.get("args") or {}), **{k: v for k, v in body.items() if k not in TRIGGER_KEYS}}
    return sim.after(body["after"], body.get("count", 1), body["action"], body.get("id"), **args)


@route("DELETE", "/triggers")
def clear_triggers(sim, body, query):
    sim.triggers.clear()
    return sim.triggers.list()


@route("POST", "/tasks")
def create_task(sim, body, query):
    fields = dict(body)
    return sim.create_task(fields.pop("list_id"), fields.pop("name", None), **fields)


@route("PATCH", "/tasks/{task_id}")
def update_task(sim, body, query, task_id):
    return sim.update_task(task_id, **body)


@route("DELETE", "/tasks/{task_id}")
def delete_task(sim, body, query, task_id):
    sim.delete_task(task_id)
    return {"deleted": task_id}


TASK_ACTIONS = {
    "move": lambda sim, t, b: sim.move_task(t, b["list_id"]),
    "archive": lambda sim, t, b: sim.archive_task(t),
    "unarchive": lambda sim, t, b: sim.unarchive_task(t),
    "close": lambda sim, t, b: sim.close_task(t, b.get("status")),
    "reopen": lambda sim, t, b: sim.reopen_task(t, b.get("status")),
    "hide": lambda sim, t, b: sim.hide("task", t) or {"hidden": t},
    "unhide": lambda sim, t, b: sim.unhide("task", t) or {"unhidden": t},
    "locations": lambda sim, t, b: sim.add_task_to_list(t, b["list_id"]),
    "comments": lambda sim, t, b: sim.create_comment(
        t, b["text"], b.get("user_id"), b.get("parent_comment_id")
    ),
    "time_entries": lambda sim, t, b: sim.create_time_entry(t, **b),
}


@route("POST", "/tasks/{task_id}/{action}")
def task_action(sim, body, query, task_id, action):
    if action not in TASK_ACTIONS:
        raise LookupError(f"no task action {action}")
    return TASK_ACTIONS[action](sim, task_id, body)


@route("DELETE", "/tasks/{task_id}/locations/{list_id}")
def remove_location(sim, body, query, task_id, list_id):
    return sim.remove_task_from_list(task_id, list_id)


@route("DELETE", "/comments/{comment_id}")
def delete_comment(sim, body, query, comment_id):
    sim.delete_comment(comment_id)
    return {"deleted": comment_id}


@route("PATCH", "/time_entries/{entry_id}")
def update_time_entry(sim, body, query, entry_id):
    return sim.update_time_entry(entry_id, **body)


@route("DELETE", "/time_entries/{entry_id}")
def delete_time_entry(sim, body, query, entry_id):
    sim.delete_time_entry(entry_id)
    return {"deleted": entry_id}


@route("POST", "/lists")
def create_list(sim, body, query):
    return sim.create_list(body["parent_id"], body.get("name"))


@route("POST", "/folders")
def create_folder(sim, body, query):
    return sim.create_folder(body["space_id"], body.get("name"), body.get("parent_folder_id"))


KINDS = {"lists": "list", "folders": "folder", "spaces": "space"}
DELETABLE = {**KINDS, "goals": "goal"}
CONTAINER_ACTIONS = {"archive": "archived", "unarchive": "unarchived", "hide": "hidden", "unhide": "unhidden"}


@route("POST", "/spaces")
def create_space(sim, body, query):
    return sim.create_space(body["workspace_id"], body.get("name"))


@route("POST", "/{kind}/{object_id}/rename")
def rename(sim, body, query, kind, object_id):
    if kind not in KINDS:
        raise LookupError(f"no such kind {kind}")
    return getattr(sim, f"rename_{KINDS[kind]}")(object_id, body["name"])


@route("PATCH", "/comments/{comment_id}")
def update_comment(sim, body, query, comment_id):
    return sim.update_comment(comment_id, body["text"])


@route("POST", "/goals")
def create_goal(sim, body, query):
    fields = dict(body)
    return sim.create_goal(fields.pop("workspace_id"), **fields)


@route("PATCH", "/goals/{goal_id}")
def update_goal(sim, body, query, goal_id):
    return sim.update_goal(goal_id, **body)


@route("POST", "/{kind}/{object_id}/{action}")
def container_action(sim, body, query, kind, object_id, action):
    if kind not in KINDS or action not in CONTAINER_ACTIONS:
        raise LookupError(f"no action {kind}/{action}")
    getattr(sim, f"{action}_{KINDS[kind]}")(object_id)
    return {CONTAINER_ACTIONS[action]: object_id}


@route("DELETE", "/{kind}/{object_id}")
def delete_object(sim, body, query, kind, object_id):
    if kind not in DELETABLE:
        raise LookupError(f"no such kind {kind}")
    getattr(sim, f"delete_{DELETABLE[kind]}")(object_id)
    return {"deleted": object_id}
