"""The control API's webhook paths (`/_sim/webhooks...`), for tests and demos over HTTP:

GET    /_sim/webhooks?workspace_id=…        every user's webhooks, with health and secret
GET    /_sim/webhooks/faults                POST {"drop_rate", "duplicate_rate", "reorder_rate",
                                            "seed"} (merged)            DELETE: no faults
GET    /_sim/webhooks/settings              POST {"timeout_s", "attempts", "backoff_s",
                                            "backoff_max_s", "reorder_hold_s", "log_size"} (merged)
GET    /_sim/webhooks/deliveries?webhook_id=…&event=…   recent deliveries and their outcome
DELETE /_sim/webhooks/deliveries            forget them
POST   /_sim/webhooks/drain {"timeout": s}  wait for the queue: {"drained", "pending"}
"""

from __future__ import annotations

from clickup_simulator.control.routing import route


def _one(query: dict, name: str):
    values = query.get(name)
    return values[-1] if values else None


@route("GET", "/webhooks")
def webhooks(sim, body, query):
    return sim.webhooks.all(_one(query, "workspace_id"))


@route("GET", "/webhooks/faults")
def faults(sim, body, query):
    return sim.webhooks.faults.to_dict()


@route("POST", "/webhooks/faults")
def faults_set(sim, body, query):
    sim.webhooks.faults.update(**body)
    return sim.webhooks.faults.to_dict()


@route("DELETE", "/webhooks/faults")
def faults_clear(sim, body, query):
    sim.webhooks.faults.clear()
    return sim.webhooks.faults.to_dict()


@route("GET", "/webhooks/settings")
def settings(sim, body, query):
    return sim.webhooks.settings


@route("POST", "/webhooks/settings")
def settings_set(sim, body, query):
    return sim.webhooks.configure(**body)


@route("GET", "/webhooks/deliveries")
def deliveries(sim, body, query):
    return sim.webhooks.log(_one(query, "webhook_id"), _one(query, "event"))


@route("DELETE", "/webhooks/deliveries")
def deliveries_clear(sim, body, query):
    sim.webhooks.clear_log()
    return []


@route("POST", "/webhooks/drain")
def drain(sim, body, query):
    drained = sim.webhooks.drain(float(body.get("timeout", 30)))
    return {"drained": drained, "pending": sim.webhooks.pending}
