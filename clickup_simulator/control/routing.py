"""The control API under `/_sim/` (no token needed): clock, faults, rate limits, statistics, tokens,
triggers, mutations and ground truth, for tests and demos that drive a simulator over HTTP. Bodies are
JSON (lone-surrogate escapes such as "\\ud83d" included); answers are JSON, 404 for an unknown object
or control, 400 for a bad value, 405 for a known path with another method. This module routes the
requests (routes with fewer parameters first); the handlers live in `housekeeping`, `changes` and
`webhooks.control`, which register them on import.

  housekeeping:
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
  changes:
    POST /_sim/tasks {"list_id", "name", "parent", "status", …update fields}
    PATCH /_sim/tasks/{id} {changes}                DELETE /_sim/tasks/{id}
    POST /_sim/tasks/{id}/{move|archive|unarchive|close|reopen|hide|unhide|locations|comments|time_entries}
    DELETE /_sim/tasks/{id}/locations/{list_id}     DELETE /_sim/comments/{id}
    PATCH /_sim/time_entries/{id} {"start_ms", "duration_ms", "description"}
    DELETE /_sim/time_entries/{id}
    POST /_sim/lists {"parent_id", "name"}
    POST /_sim/folders {"space_id", "name", "parent_folder_id"}
    POST /_sim/spaces {"workspace_id", "name"}
    POST /_sim/{lists|folders|spaces}/{id}/rename {"name"}
    POST /_sim/{lists|folders|spaces}/{id}/{archive|unarchive|hide|unhide}
    DELETE /_sim/{lists|folders|spaces|goals}/{id}
    PATCH /_sim/comments/{id} {"text"}
    POST /_sim/goals {"workspace_id", "name", "description", "due_date", "color"}
    PATCH /_sim/goals/{id} {"name", "description", "due_date", "color"}
    POST /_sim/triggers {"after": "GET /team/{team_id}/task", "count", "action", "id", "args": {…}}
    GET  /_sim/triggers                             DELETE /_sim/triggers
  webhooks.control:
    GET  /_sim/webhooks?workspace_id=…              every user's webhooks, with health and secret
    GET|POST|DELETE /_sim/webhooks/faults {"drop_rate", "duplicate_rate", "reorder_rate", "seed"}
    GET|POST /_sim/webhooks/settings {"timeout_s", "attempts", "backoff_s", "backoff_max_s",
         "reorder_hold_s", "log_size"}
    GET  /_sim/webhooks/deliveries?webhook_id=…&event=…   DELETE /_sim/webhooks/deliveries
    POST /_sim/webhooks/drain {"timeout"}           -> {"drained", "pending"}
"""

from __future__ import annotations

import re

CONTROL: list[tuple[str, re.Pattern, object]] = []


def route(method: str, template: str):
    pattern = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "/?$")

    def register(fn):
        CONTROL.append((method, pattern, fn))
        CONTROL.sort(key=lambda entry: entry[1].groups)  # fewer parameters first: specific routes win
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
