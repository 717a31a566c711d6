"""Webhook registration over /api/v2, as ClickUp answers it: create, duplicates, list, update,
re-activate, delete, and the errors of unknown webhooks and other users' tokens."""

from __future__ import annotations

import orjson

from clickup_spec import EXAMPLES_DIR
from clickup_spec import errors as schema_errors


def example(name: str):
    return orjson.loads((EXAMPLES_DIR / f"{name}.docs.json").read_bytes())


def test_create_answers_the_documented_shape(fresh, receiver):
    api = fresh(tasks=100)
    ws = api.sim.truth.workspace_ids()[0]
    response = api.raw("POST", f"/team/{ws}/webhook", json={"endpoint": receiver.url, "events": "*"})
    assert response.status_code == 200, response.text
    body = response.json()
    documented = example("create_webhook")
    assert body.keys() == documented.keys() and body["id"] == body["webhook"]["id"]
    webhook = body["webhook"]
    assert webhook.keys() == documented["webhook"].keys()
    assert webhook["events"] == documented["webhook"]["events"]  # "*" is every event, in ClickUp's order
    assert webhook["health"] == {"status": "active", "fail_count": 0}
    assert webhook["team_id"] == int(ws) and webhook["endpoint"] == receiver.url
    assert webhook["userid"] == api.sim.truth.user()["id"]
    assert len(webhook["secret"]) == 64 and webhook["secret"].isalnum()
    assert [webhook[k] for k in ("task_id", "list_id", "folder_id", "space_id")] == [None] * 4
    assert schema_errors("GET /team/{}/webhook", {"webhooks": [webhook]}) == []


def test_duplicate_endpoint_and_location_answers_oauth_171(fresh, receiver):
    api = fresh(tasks=100)
    ws = api.sim.truth.workspace_ids()[0]
    first = api.raw("POST", f"/team/{ws}/webhook", json={"endpoint": receiver.url, "events": ["taskCreated"]})
    assert first.status_code == 200
    again = api.raw("POST", f"/team/{ws}/webhook", json={"endpoint": receiver.url, "events": "*"})
    assert again.status_code == 400
    assert again.json() == {"err": "Webhook configuration already exists", "ECODE": "OAUTH_171"}
    space = api.sim.truth.spaces(ws)[0]["id"]
    located = {"endpoint": receiver.url, "events": "*", "space_id": int(space)}
    elsewhere = api.raw("POST", f"/team/{ws}/webhook", json=located)  # another location: a new webhook
    assert elsewhere.status_code == 200 and elsewhere.json()["webhook"]["space_id"] == space
    admin = api.sim.tokens.admin(ws)  # another user may register the same endpoint
    assert api.raw("POST", f"/team/{ws}/webhook", admin, json={"endpoint": receiver.url, "events": "*"}).ok


def test_list_shows_the_callers_webhooks_with_health_and_secret(fresh, receiver):
    api = fresh(tasks=100)
    ws = api.sim.truth.workspace_ids()[0]
    mine = api.sim.webhooks.create(ws, receiver.url, ["taskCreated", "taskDeleted"])["webhook"]
    admin = api.sim.tokens.admin(ws)
    theirs = api.sim.webhooks.create(ws, receiver.url + "?admin", "*", token=admin)["webhook"]
    listed = api.json(f"/team/{ws}/webhook")["webhooks"]  # schema-checked by the client
    assert listed == [mine] and listed[0]["events"] == ["taskCreated", "taskDeleted"]
    assert api.json(f"/team/{ws}/webhook", token=admin)["webhooks"] == [theirs]
    assert listed[0].keys() == example("get_webhooks")["webhooks"][0].keys()
    assert [w["id"] for w in api.sim.truth.webhooks(ws)] == [mine["id"], theirs["id"]]
    assert api.get(f"/team/{ws}/webhook", token=api.sim.tokens.nobody).json()["ECODE"] == "OAUTH_027"


def test_update_changes_endpoint_and_events_and_reactivates(fresh, receiver):
    api = fresh(tasks=100)
    ws = api.sim.truth.workspace_ids()[0]
    webhook = api.sim.webhooks.create(ws, receiver.url, "*")["webhook"]
    hook = api.sim.webhooks.registry.get(webhook["id"])
    hook.status, hook.fail_count = "suspended", 100
    assert api.json(f"/team/{ws}/webhook")["webhooks"][0]["health"] == {
        "status": "suspended",
        "fail_count": 100,
    }
    body = {"endpoint": receiver.url + "/v2", "events": ["taskUpdated"], "status": "active"}
    response = api.raw("PUT", f"/webhook/{webhook['id']}", json=body)
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["id"] == webhook["id"] and updated["webhook"]["endpoint"] == receiver.url + "/v2"
    assert updated["webhook"]["events"] == ["taskUpdated"]
    assert updated["webhook"]["health"] == {"status": "active", "fail_count": 0}
    assert updated["webhook"]["secret"] == webhook["secret"]
    everything = api.raw("PUT", f"/webhook/{webhook['id']}", json={"events": "*"}).json()["webhook"]
    assert len(everything["events"]) == 28 and everything["endpoint"] == receiver.url + "/v2"
    bad = api.raw("PUT", f"/webhook/{webhook['id']}", json={"status": "paused"})
    assert bad.status_code == 400 and bad.json()["ECODE"] == "INPUT_005"


def test_delete_and_unknown_or_foreign_webhooks(fresh, receiver):
    api = fresh(tasks=100)
    ws = api.sim.truth.workspace_ids()[0]
    webhook = api.sim.webhooks.create(ws, receiver.url, "*")["webhook"]
    admin, nobody = api.sim.tokens.admin(ws), api.sim.tokens.nobody
    not_found = {"err": "Webhook not found", "ECODE": "ITEM_015"}
    for method in ("PUT", "DELETE"):  # another user of the workspace: not theirs to see
        foreign = api.raw(method, f"/webhook/{webhook['id']}", admin, json={"status": "active"})
        assert foreign.status_code == 404 and foreign.json() == not_found
    outsider = api.raw("DELETE", f"/webhook/{webhook['id']}", nobody)
    assert outsider.status_code == 401 and outsider.json()["ECODE"] == "OAUTH_027"
    deleted = api.raw("DELETE", f"/webhook/{webhook['id']}")
    assert deleted.status_code == 200 and deleted.json() == {}
    assert api.json(f"/team/{ws}/webhook")["webhooks"] == []
    gone = api.raw("DELETE", f"/webhook/{webhook['id']}")
    assert gone.status_code == 404 and gone.json() == not_found
    assert api.raw("PUT", "/webhook/no-such-id", json={"status": "active"}).json() == not_found
    html = api.raw("PATCH", f"/webhook/{webhook['id']}")  # a method ClickUp does not serve there
    assert html.status_code == 404 and html.headers["Content-Type"].startswith("text/html")


def test_bad_registrations(fresh, receiver):
    api = fresh(tasks=100)
    ws = api.sim.truth.workspace_ids()[0]
    path = f"/team/{ws}/webhook"
    for body in (
        {"events": "*"},
        {"endpoint": "not a url", "events": "*"},
        {"endpoint": receiver.url},
        {"endpoint": receiver.url, "events": []},
        {"endpoint": receiver.url, "events": ["taskExploded"]},
    ):
        response = api.raw("POST", path, json=body)
        assert response.status_code == 400 and response.json()["ECODE"] == "INPUT_005", body
    broken = api.raw("POST", path, data=b"{not json", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400
    assert (
        api.raw("POST", path, json={"endpoint": receiver.url, "events": "*", "list_id": 1}).status_code == 404
    )
    assert (
        api.raw("POST", "/team/123/webhook", json={"endpoint": receiver.url, "events": "*"}).status_code
        == 401
    )
    assert api.raw("POST", path, None, json={"endpoint": receiver.url, "events": "*"}).status_code == 401


def test_location_ids_are_stored_as_strings(fresh, receiver):
    api = fresh(tasks=100)
    ws = api.sim.truth.workspace_ids()[0]
    lst = api.sim.truth.lists(ws)[0]
    task = api.sim.truth.tasks(ws)[0]["id"]
    body = {"endpoint": receiver.url, "events": "*", "list_id": int(lst["id"]), "task_id": task}
    webhook = api.raw("POST", f"/team/{ws}/webhook", json=body).json()["webhook"]
    assert (webhook["list_id"], webhook["task_id"], webhook["space_id"]) == (lst["id"], task, None)


def test_registration_is_rate_limited_and_counted(fresh, receiver):
    api = fresh(tasks=100, rate_limit=2)
    ws = api.sim.truth.workspace_ids()[0]
    path = f"/team/{ws}/webhook"
    first = api.raw("POST", path, json={"endpoint": receiver.url, "events": "*"})
    assert first.status_code == 200 and first.headers["X-RateLimit-Remaining"] == "1"
    assert api.raw("GET", path).status_code == 200
    limited = api.raw("DELETE", f"/webhook/{first.json()['id']}")
    assert limited.status_code == 429 and limited.json()["ECODE"] == "APP_002"
    stats = api.sim.stats
    assert stats.requests("POST /team/{team_id}/webhook") == 1
    assert stats.requests("GET /team/{team_id}/webhook") == 1
    assert stats.requests("DELETE /webhook/{webhook_id}") == 1
