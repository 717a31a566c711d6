"""The control API under `/_sim/` (no token needed): clock, faults, rate limits, statistics, tokens,
triggers, mutations and ground truth, for tests and demos that drive a simulator over HTTP. Bodies are
JSON (lone-surrogate escapes such as "\\ud83d" included); answers are JSON, 404 for an unknown object
or control, 400 for a bad value. This module holds the housekeeping; `control_changes` the changes.

    GET  /_sim/health | /_sim/info | /_sim/tokens | /_sim/clock | /_sim/stats | /_sim/faults
    POST /_sim/clock/advance {"seconds"}            POST /_sim/stats/reset
    POST /_sim/faults {FaultConfig fields, merged: error_rate, latency_ms, latency_jitter_ms, drop_rate,
         truncate_rate, malformed_rate, missing_key_rate, html_rate, slow_rate, slow_ms, storm_every,
         storm_length, storm_headers, burst_every, burst_length, endpoints, seed}
    DELETE /_sim/faults                             POST /_sim/faults/force {"kinds": [error | drop |
         truncate | malformed | storm | missing_key | html | slow, ...]}
    POST /_sim/rate_limit {"limit", "window_s"}     POST /_sim/rate_limit/reset
    POST /_sim/time_in_status {"workspace_id", "enabled"}
    GET  /_sim/truth/workspaces?token=…             GET /_sim/truth/{workspace_id}/{accessor}
  changes (`control_changes`):
    POST /_sim/tasks {"list_id", "name", "parent", "status", …update fields}
    PATCH /_sim/tasks/{id} {changes}                DELETE /_sim/tasks/{id}
    POST /_sim/tasks/{id}/{move|archive|unarchive|close|reopen|hide|unhide|locations|comments|time_entries}
    DELETE /_sim/tasks/{id}/locations/{list_id}     DELETE /_sim/comments/{id}
    PATCH /_sim/time_entries/{id} {"start_ms", "duration_ms", "description"}   DELETE /_sim/time_entries/{id}
    POST /_sim/lists {"parent_id", "name"}          POST /_sim/folders {"space_id", "name", "parent_folder_id"}
    POST /_sim/{lists|folders|spaces}/{id}/{archive|unarchive|hide|unhide}
    DELETE /_sim/{lists|folders|spaces|goals}/{id}
    POST /_sim/triggers {"after": "GET /team/{team_id}/task", "count", "action", "id", "args": {…}}
    GET  /_sim/triggers                             DELETE /_sim/triggers
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


@route("GET", "/truth/workspaces")
def truth_workspaces(sim, body, query):
    token = (query.get("token") or [None])[-1]
    return sim.truth.workspace_ids(token)


@route("GET", "/truth/{workspace_id}/{accessor}")
def truth(sim, body, query, workspace_id, accessor):
    if accessor not in TRUTH:
        raise LookupError(f"no truth accessor {accessor}")
    return getattr(sim.truth, accessor)(workspace_id)
