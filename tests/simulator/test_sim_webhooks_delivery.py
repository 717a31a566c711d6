"""Deliveries the way ClickUp makes them: signed POSTs in the order of the changes, to the webhooks whose
events and location match; retries, failure counts and suspension; dropped, duplicated and reordered
deliveries on demand; and the control paths that watch and wait for them."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

DOCUMENTED_SECRET = "secret"
DOCUMENTED_BODY = (
    b'{"webhook_id":"7689a169-a000-4985-8676-6902b96d6627","event":"taskCreated","task_id":"c0j"}'
)
DOCUMENTED_SIGNATURE = "4830bf524f6e29a3e8da953936c6f21c1fea2b9669b825d3e1be293ef3416c8c"


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def live_tasks(api, ws) -> list[dict]:
    hidden = set(api.sim.truth.archived_list_ids(ws))
    return [t for t in api.sim.truth.tasks(ws) if not t["archived"] and t["list"]["id"] not in hidden]


def health(api, ws) -> dict:
    return api.json(f"/team/{ws}/webhook")["webhooks"][0]["health"]


def test_the_documented_signature_vector():
    assert sign(DOCUMENTED_SECRET, DOCUMENTED_BODY) == DOCUMENTED_SIGNATURE


def test_deliveries_are_signed_json_posts_in_the_order_of_the_changes(hooked, receiver):
    api, ws, webhook = hooked
    tasks = live_tasks(api, ws)
    for k, task in enumerate(tasks[:6]):
        api.sim.update_task(task["id"], name=f"Renamed {k}")
    assert api.sim.webhooks.drain(10)
    assert [b["task_id"] for b in receiver.bodies()] == [t["id"] for t in tasks[:6]]
    for headers, raw in receiver.received:
        assert headers["Content-Type"] == "application/json"
        assert hmac.compare_digest(headers["X-Signature"], sign(webhook["secret"], raw))
        assert json.loads(raw)["webhook_id"] == webhook["id"]
    log = api.sim.webhooks.log()
    assert [r["outcome"] for r in log] == ["delivered"] * 6 and all(r["status"] == 200 for r in log)
    assert (
        log[0]["event"] == "taskUpdated" and log[0]["task_id"] == tasks[0]["id"] and log[0]["attempts"] == 1
    )


def test_nothing_is_sent_inside_the_change(hooked, receiver):
    api, ws, webhook = hooked
    receiver.delay_s = 0.5  # a slow receiver does not slow the mutation down
    task = live_tasks(api, ws)[0]
    api.sim.update_task(task["id"], name="Quick")
    assert api.sim.webhooks.pending == 1 and api.sim.webhooks.log()[0]["outcome"] in ("queued", "delivered")
    assert api.sim.webhooks.drain(10)


def test_events_and_locations_filter_what_a_webhook_gets(fresh, receiver):
    api = fresh(tasks=300)
    sim = api.sim
    sim.webhooks.configure(backoff_s=0.01)
    ws = sim.truth.workspace_ids()[0]
    tasks = live_tasks(api, ws)
    inside = tasks[0]
    outside = next(t for t in tasks if t["list"]["id"] != inside["list"]["id"])
    by_list = sim.webhooks.create(ws, receiver.url + "?list", "*", list_id=inside["list"]["id"])["webhook"]
    deletions = sim.webhooks.create(ws, receiver.url + "?deleted", ["taskDeleted"])["webhook"]
    by_task = sim.webhooks.create(ws, receiver.url + "?task", "*", task_id=outside["id"])["webhook"]
    sim.update_task(inside["id"], name="Inside")
    sim.update_task(outside["id"], name="Outside")
    sim.delete_task(outside["id"])
    assert sim.webhooks.drain(10)
    got = {}
    for body in receiver.bodies():
        got.setdefault(body["webhook_id"], []).append((body["event"], body["task_id"]))
    assert got[by_list["id"]] == [("taskUpdated", inside["id"])]
    assert got[deletions["id"]] == [("taskDeleted", outside["id"])]
    assert got[by_task["id"]] == [("taskUpdated", outside["id"]), ("taskDeleted", outside["id"])]


def test_a_webhook_gets_only_what_its_owner_may_see(fresh, receiver):
    api = fresh(tasks=300)
    sim = api.sim
    ws = sim.truth.workspace_ids()[0]
    private = next(s["id"] for s in sim.truth.spaces(ws) if s["private"])
    hidden = [t for t in live_tasks(api, ws) if t["space"]["id"] == private]
    public = [t for t in live_tasks(api, ws) if t["space"]["id"] != private]
    member = sim.webhooks.create(ws, receiver.url, "*", token=sim.tokens.member)["webhook"]
    sim.update_task(hidden[0]["id"], name="Secret")
    sim.update_task(public[0]["id"], name="Open")
    assert sim.webhooks.drain(10)
    assert [(b["webhook_id"], b["task_id"]) for b in receiver.bodies()] == [(member["id"], public[0]["id"])]


def test_failed_deliveries_are_retried_then_counted(hooked, receiver):
    api, ws, webhook = hooked
    api.sim.webhooks.configure(attempts=5, backoff_s=0.001)
    receiver.status = 500
    task = live_tasks(api, ws)[0]
    api.sim.update_task(task["id"], name="Never delivered")
    assert api.sim.webhooks.drain(10)
    assert len(receiver.received) == 5  # five attempts, then ClickUp gives the event up
    record = api.sim.webhooks.log()[-1]
    assert (record["outcome"], record["status"], record["attempts"]) == ("failed", 500, 5)
    assert health(api, ws) == {"status": "failing", "fail_count": 1}
    receiver.status = 200
    receiver.answers = [503, 502]  # two failed attempts, then delivered: no failure counted
    api.sim.update_task(task["id"], name="Delivered at last")
    assert api.sim.webhooks.drain(10)
    assert api.sim.webhooks.log()[-1]["attempts"] == 3
    assert health(api, ws) == {"status": "active", "fail_count": 0}  # a success resets the count


def test_a_hundred_failures_suspend_the_webhook(hooked, receiver):
    api, ws, webhook = hooked
    api.sim.webhooks.configure(attempts=1)
    receiver.status = 500
    task = live_tasks(api, ws)[0]
    for k in range(100):  # one failed event each (taskUpdated)
        api.sim.update_task(task["id"], name=f"Attempt {k}")
    assert api.sim.webhooks.drain(30)
    assert health(api, ws) == {"status": "suspended", "fail_count": 100}
    received = len(receiver.received)
    api.sim.update_task(task["id"], name="After suspension")
    assert api.sim.webhooks.drain(10) and len(receiver.received) == received


@pytest.mark.parametrize("status", [410, 401])
def test_410_and_401_suspend_at_once_until_reactivated(hooked, receiver, status):
    api, ws, webhook = hooked
    receiver.status = status
    receiver.delay_s = 0.2  # the second change is queued while the first is still on its way
    tasks = live_tasks(api, ws)
    api.sim.update_task(tasks[0]["id"], name="Gone")
    api.sim.update_task(tasks[1]["id"], name="Not sent")
    assert api.sim.webhooks.drain(10)
    assert len(receiver.received) == 1
    assert health(api, ws) == {"status": "suspended", "fail_count": 0}
    assert [r["outcome"] for r in api.sim.webhooks.log()] == ["suspended", "discarded"]
    receiver.status, receiver.delay_s = 200, 0.0
    api.sim.update_task(tasks[2]["id"], name="Still not sent")
    assert api.sim.webhooks.drain(10) and len(receiver.received) == 1
    response = api.raw("PUT", f"/webhook/{webhook['id']}", json={"status": "active"})
    assert response.json()["webhook"]["health"] == {"status": "active", "fail_count": 0}
    api.sim.update_task(tasks[3]["id"], name="Sent again")
    assert api.sim.webhooks.drain(10)
    assert receiver.bodies()[-1]["task_id"] == tasks[3]["id"]


def test_a_slow_answer_is_a_failed_attempt(hooked, receiver):
    api, ws, webhook = hooked
    api.sim.webhooks.configure(timeout_s=0.2, attempts=2, backoff_s=0.001)
    receiver.delay_s = 0.6
    api.sim.update_task(live_tasks(api, ws)[0]["id"], name="Too slow")
    assert api.sim.webhooks.drain(10)
    record = api.sim.webhooks.log()[-1]
    assert (record["outcome"], record["error"], record["attempts"]) == ("failed", "timeout", 2)
    assert health(api, ws)["fail_count"] == 1


def test_dropped_deliveries_are_never_sent(hooked, receiver):
    api, ws, webhook = hooked
    api.sim.webhook_faults.update(drop_rate=1.0)
    api.sim.update_task(live_tasks(api, ws)[0]["id"], name="Dropped")
    assert api.sim.webhooks.drain(10)
    assert receiver.received == []
    assert [(r["fault"], r["outcome"]) for r in api.sim.webhooks.log()] == [("drop", "dropped")]
    assert health(api, ws) == {"status": "active", "fail_count": 0}  # ClickUp never knew


def test_duplicated_deliveries_arrive_twice(hooked, receiver):
    api, ws, webhook = hooked
    api.sim.webhook_faults.update(duplicate_rate=1.0)
    api.sim.update_task(live_tasks(api, ws)[0]["id"], name="Twice")
    assert api.sim.webhooks.drain(10)
    (first_headers, first), (second_headers, second) = receiver.received
    assert first == second and first_headers["X-Signature"] == second_headers["X-Signature"]
    assert api.sim.webhooks.log()[0]["copies"] == 2


def test_reordered_deliveries_arrive_after_later_ones_reproducibly(hooked, receiver):
    api, ws, webhook = hooked
    sim = api.sim
    sim.webhooks.configure(reorder_hold_s=5)
    api.control("POST", "/webhooks/faults", {"reorder_rate": 0.4, "seed": 5})
    tasks = live_tasks(api, ws)
    for k, task in enumerate(tasks[:12]):
        sim.update_task(task["id"], name=f"Order {k}")
    drained = api.control("POST", "/webhooks/drain", {"timeout": 10})
    assert drained == {"drained": True, "pending": 0}
    queued = [t["id"] for t in tasks[:12]]
    arrived = [b["task_id"] for b in receiver.bodies()]
    assert sorted(arrived) == sorted(queued) and arrived != queued
    log = api.control("GET", "/webhooks/deliveries")
    faults = [r["fault"] for r in log]
    assert "reorder" in faults and all(r["outcome"] == "delivered" for r in log)
    for record in log:  # a held-back delivery arrives after the next one that was not held
        if record["fault"] == "reorder":
            later = next((r for r in log if r["number"] > record["number"] and not r["fault"]), None)
            if later is not None:
                assert arrived.index(record["task_id"]) > arrived.index(later["task_id"])
    again = sim.webhook_faults
    assert [again.draw(r["number"]) for r in log] == faults  # decisions come from (seed, number)


def test_control_paths(hooked, receiver):
    api, ws, webhook = hooked
    faults = api.control("POST", "/webhooks/faults", {"drop_rate": 0.25, "duplicate_rate": 0.25})
    assert faults == {"drop_rate": 0.25, "duplicate_rate": 0.25, "reorder_rate": 0.0, "seed": None}
    assert api.control("GET", "/webhooks/faults") == faults
    assert api.control("DELETE", "/webhooks/faults")["drop_rate"] == 0.0
    settings = api.control("POST", "/webhooks/settings", {"timeout_s": 1.5, "attempts": 3})
    assert (settings["timeout_s"], settings["attempts"]) == (1.5, 3)
    assert api.control("GET", "/webhooks/settings") == settings == api.sim.webhooks.settings
    listed = api.control("GET", f"/webhooks?workspace_id={ws}")
    assert [w["id"] for w in listed] == [webhook["id"]] and listed[0]["secret"] == webhook["secret"]
    api.sim.update_task(live_tasks(api, ws)[0]["id"], name="Logged")
    api.control("POST", "/webhooks/drain", {"timeout": 10})
    log = api.control("GET", f"/webhooks/deliveries?webhook_id={webhook['id']}&event=taskUpdated")
    assert len(log) == 1 and (log[0]["status"], log[0]["attempts"], log[0]["error"]) == (200, 1, None)
    assert log[0]["sent_at"] == api.sim.now_ms() and log[0]["webhook_id"] == webhook["id"]
    assert api.control("DELETE", "/webhooks/deliveries") == [] and api.sim.webhooks.log() == []
    response = api.session.post(api.server.control_url + "/webhooks/faults", json={"drop_rate": 2})
    assert response.status_code == 400


def test_deleting_a_webhook_stops_its_deliveries(hooked, receiver):
    api, ws, webhook = hooked
    receiver.delay_s = 0.3
    tasks = live_tasks(api, ws)
    for task in tasks[:3]:
        api.sim.update_task(task["id"], name="Pending")
    api.sim.webhooks.delete(webhook["id"])
    assert api.sim.webhooks.drain(10)
    assert len(receiver.received) <= 1
    assert api.sim.webhooks.log()[-1]["outcome"] == "discarded"
