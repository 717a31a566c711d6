"""The control API under `/_sim/` (no token needed): clock, faults, rate limits, statistics, tokens,
mutations and ground truth, for tests and demos that drive a simulator over HTTP.

    GET  /_sim/health | /_sim/info | /_sim/tokens | /_sim/clock | /_sim/stats | /_sim/faults
    POST /_sim/clock/advance {"seconds"}            POST /_sim/stats/reset
    POST /_sim/faults {FaultConfig fields, merged}  DELETE /_sim/faults   POST /_sim/faults/force {"kinds"}
    POST /_sim/rate_limit {"limit", "window_s"}     POST /_sim/rate_limit/reset
    POST /_sim/time_in_status {"workspace_id", "enabled"}
    POST /_sim/tasks {"list_id", "name", "parent", "status", …update fields}
    PATCH /_sim/tasks/{id} {changes}                DELETE /_sim/tasks/{id}
    POST /_sim/tasks/{id}/{move|archive|unarchive|close|reopen|locations|comments|time_entries}
    DELETE /_sim/tasks/{id}/locations/{list_id}     DELETE /_sim/comments/{id}   DELETE /_sim/time_entries/{id}
    POST /_sim/lists {"parent_id", "name"}          POST /_sim/folders {"space_id", "name", "parent_folder_id"}
    POST /_sim/{lists|folders|spaces}/{id}/{archive|unarchive}   DELETE /_sim/{lists|folders|spaces}/{id}
    GET  /_sim/truth/workspaces?token=…             GET /_sim/truth/{workspace_id}/{accessor}
"""

from __future__ import annotations

import re

TRUTH = {"team", "members", "groups", "spaces", "folders", "lists", "archived_list_ids", "tags", "tasks",
         "custom_fields",
         "task_ids", "all_comments", "time_entries", "time_in_status", "goals", "key_results", "deleted"}
CONTROL: list[tuple[str, re.Pattern, object]] = []


def route(method: str, template: str):
    pattern = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "/?$")

    def register(fn):
        CONTROL.append((method, pattern, fn))
        return fn
    return register


def dispatch(sim, method: str, path: str, body: dict, query: dict):
    """(status, JSON-ready answer) of a control request."""
    known = False
    for verb, pattern, fn in CONTROL:
        m = pattern.match(path)
        if not m:
            continue
        known = True
        if verb != method:
            continue
        try:
            return 200, fn(sim, body, query, **m.groupdict())
        except LookupError as exc:
            return 404, {"error": str(exc).strip("'\"")}
        except (ValueError, TypeError) as exc:
            return 400, {"error": str(exc)}
    return (405, {"error": f"{method} not supported here"}) if known else (404, {"error": "no such control"})


@route("GET", "/health")
def health(sim, body, query):
    return {"ok": True}


@route("GET", "/info")
def info(sim, body, query):
    cfg = sim.config
    return {"seed": cfg.seed, "preset": cfg.preset, "startup_s": round(sim.startup_s, 3),
            "tasks": int(sim.state.tasks.n), "time_entries": int(sim.entries.n),
            "workspace_ids": [ws.id for ws in sim.state.world.workspaces], "now_ms": sim.now_ms(),
            "rate_limit": sim.limiter.limit, "rate_window_s": sim.limiter.window_s}


@route("GET", "/tokens")
def tokens(sim, body, query):
    return sim.tokens.all()


@route("GET", "/clock")
def clock(sim, body, query):
    return {"now_ms": sim.now_ms(), "frozen": sim.clock.frozen}


@route("POST", "/clock/advance")
def advance(sim, body, query):
    return {"now_ms": sim.advance(float(body.get("seconds", 0)))}


@route("GET", "/stats")
def stats(sim, body, query):
    return sim.stats.snapshot()


@route("POST", "/stats/reset")
def stats_reset(sim, body, query):
    sim.stats.reset()
    return sim.stats.snapshot()


@route("GET", "/faults")
def faults(sim, body, query):
    return sim.faults.config.to_dict()


@route("POST", "/faults")
def faults_set(sim, body, query):
    return sim.faults.update(**body).to_dict()


@route("DELETE", "/faults")
def faults_clear(sim, body, query):
    sim.faults.clear()
    return sim.faults.config.to_dict()


@route("POST", "/faults/force")
def faults_force(sim, body, query):
    sim.faults.force(*body.get("kinds", []))
    return {"forced": list(body.get("kinds", []))}


@route("POST", "/rate_limit")
def rate_limit(sim, body, query):
    sim.set_rate_limit(body.get("limit"), body.get("window_s"))
    return {"limit": sim.limiter.limit, "window_s": sim.limiter.window_s}


@route("POST", "/rate_limit/reset")
def rate_limit_reset(sim, body, query):
    sim.reset_rate_limits()
    return {"ok": True}


@route("POST", "/time_in_status")
def time_in_status(sim, body, query):
    sim.set_time_in_status(body["workspace_id"], body.get("enabled", True))
    return {"ok": True}


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
    "locations": lambda sim, t, b: sim.add_task_to_list(t, b["list_id"]),
    "comments": lambda sim, t, b: sim.create_comment(t, b["text"], b.get("user_id"), b.get("parent_comment_id")),
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


@route("POST", "/{kind}/{object_id}/{action}")
def container_action(sim, body, query, kind, object_id, action):
    if kind not in KINDS or action not in ("archive", "unarchive"):
        raise LookupError(f"no action {kind}/{action}")
    getattr(sim, f"{action}_{KINDS[kind]}")(object_id)
    return {action + "d": object_id}


@route("DELETE", "/{kind}/{object_id}")
def delete_container(sim, body, query, kind, object_id):
    if kind not in KINDS:
        raise LookupError(f"no such kind {kind}")
    getattr(sim, f"delete_{KINDS[kind]}")(object_id)
    return {"deleted": object_id}


@route("GET", "/truth/workspaces")
def truth_workspaces(sim, body, query):
    token = (query.get("token") or [None])[-1]
    return sim.truth.workspace_ids(token)


@route("GET", "/truth/{workspace_id}/{accessor}")
def truth(sim, body, query, workspace_id, accessor):
    if accessor not in TRUTH:
        raise LookupError(f"no truth accessor {accessor}")
    return getattr(sim.truth, accessor)(workspace_id)
