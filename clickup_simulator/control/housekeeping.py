"""The control API's housekeeping (`/_sim/health`, `/info`, `/tokens`, `/clock`, `/stats`, `/faults`,
`/rate_limit`, `/time_in_status`, `/truth`): reads and switches that change no workspace data."""

from __future__ import annotations

from clickup_simulator.control.routing import route

TRUTH = {
    "team",
    "members",
    "groups",
    "spaces",
    "folders",
    "lists",
    "archived_list_ids",
    "tags",
    "tasks",
    "custom_fields",
    "task_ids",
    "all_comments",
    "time_entries",
    "time_in_status",
    "goals",
    "key_results",
    "deleted",
}


@route("GET", "/health")
def health(sim, body, query):
    return {"ok": True}


@route("GET", "/info")
def info(sim, body, query):
    cfg = sim.config
    return {
        "seed": cfg.seed,
        "preset": cfg.preset,
        "startup_s": round(sim.startup_s, 3),
        "tasks": int(sim.state.tasks.n),
        "time_entries": int(sim.entries.n),
        "workspace_ids": [ws.id for ws in sim.state.world.workspaces],
        "now_ms": sim.now_ms(),
        "rate_limit": sim.limiter.limit,
        "rate_window_s": sim.limiter.window_s,
    }


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
