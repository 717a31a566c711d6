"""ClickUp's errors and who may see what: tokens, workspaces, roles, deleted and unknown objects."""

from __future__ import annotations

from sim_helpers import walk_tasks

RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


def test_authorization_errors(api, ws):
    missing = api.get("/team", token=None)
    assert missing.status_code == 401 and missing.json() == {
        "err": "Authorization header required",
        "ECODE": "OAUTH_017",
    }
    bad = api.get("/team", token="pk_0_NOT_A_TOKEN")
    assert bad.status_code == 401 and bad.json() == {"err": "Token invalid", "ECODE": "OAUTH_025"}
    assert api.get("/team", token=f"Bearer {api.sim.config.token}").status_code == 200  # OAuth form


def test_tokens_reach_their_workspaces_only(api, ws):
    truth, tokens = api.sim.truth, api.sim.tokens
    first, second = truth.workspace_ids()
    assert [t["id"] for t in api.json("/team")["teams"]] == [first, second]
    admin = tokens.admin(second)
    assert [t["id"] for t in api.json("/team", token=admin)["teams"]] == [second]
    refused = api.get(f"/team/{first}/task", token=admin)
    assert refused.status_code == 401 and refused.json() == {
        "err": "Team not authorized",
        "ECODE": "OAUTH_027",
    }
    assert api.get(f"/team/{first}/space", token=admin).json()["ECODE"] == "OAUTH_027"
    task = truth.tasks(first)[0]["id"]
    assert api.get(f"/task/{task}", token=admin).json()["ECODE"] == "OAUTH_027"
    assert api.json("/team", token=tokens.nobody) == {"teams": []}
    assert api.get("/team/123/task").json()["ECODE"] == "OAUTH_027"  # an unknown workspace too
    kinds = {t["kind"] for t in tokens.all()}
    assert kinds == {"primary", "admin", "member", "guest", "nobody"}


def test_route_and_method_errors(api, ws):
    unknown = api.get("/no/such/route")
    assert unknown.status_code == 404 and unknown.json() == {"err": "Route not found", "ECODE": "APP_001"}
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        html = api.raw(method, f"/team/{ws}/task")
        assert html.status_code == 404 and html.headers["Content-Type"].startswith("text/html")
    assert (
        api.raw("DELETE", "/checklist/abc").headers["Content-Type"].startswith("text/html")
    )  # write-only path
    assert api.raw("DELETE", "/webhook/abc").json() == {"err": "Webhook not found", "ECODE": "ITEM_015"}


def test_object_not_found_errors(api, ws):
    assert api.get("/task/86zzzzzzz").json() == {"err": "Task not found", "ECODE": "ITEM_013"}
    assert api.get("/task/abc").json()["ECODE"] == "ITEM_013"
    assert api.get("/space/1").json() == {"err": "Space not found", "ECODE": "PROJ_006"}
    assert api.get("/list/1").json() == {"err": "List not found", "ECODE": "ITEM_015"}
    assert api.get("/folder/1").json()["ECODE"] == "ITEM_015"
    invalid = api.get("/folder/abc")
    assert invalid.status_code == 400 and invalid.json() == {"err": "Folder ID invalid", "ECODE": "INPUT_011"}
    assert api.get("/goal/nope").status_code == 404
    assert api.get("/group").json()["ECODE"] == "INPUT_005"


def test_member_token_does_not_see_private_spaces(api, ws):
    member = api.sim.tokens.member
    spaces = api.sim.truth.spaces(ws)
    private = next(s for s in spaces if s["private"])
    seen = {s["id"] for s in api.json(f"/team/{ws}/space", token=member)["spaces"]}
    assert private["id"] not in seen and seen
    assert api.get(f"/space/{private['id']}", token=member).json()["ECODE"] == "ACCESS_080"
    hidden = next(t for t in api.sim.truth.tasks(ws) if t["space"]["id"] == private["id"])
    refused = api.get(f"/task/{hidden['id']}", token=member)
    assert refused.status_code == 401 and refused.json() == {
        "err": "You do not have access to this task",
        "ECODE": "ACCESS_083",
    }
    listed = walk_tasks(api, f"/team/{ws}/task", token=member, include_closed="true", subtasks="true")
    assert listed and all(t["space"]["id"] != private["id"] for t in listed)


def test_guest_token_sees_only_shared_lists(api, ws):
    guest = api.sim.tokens.guest
    shared = [
        lst
        for lst in api.sim.state.world.lists
        if api.sim.state.world.users[api.sim.state.token_by_value[guest].user].pos in lst.guest_pos
    ]
    listed = walk_tasks(api, f"/team/{ws}/task", token=guest, include_closed="true", subtasks="true")
    assert {t["list"]["id"] for t in listed} <= {lst.id for lst in shared}
    assert {lst["id"] for lst in api.json(f"/team/{ws}/shared", token=guest)["shared"]["lists"]} == {
        lst.id for lst in shared
    }
    fields = api.json(f"/team/{ws}/field", token=guest)["fields"]
    assert not any(f["hide_from_guests"] for f in fields)


def test_time_entries_of_other_users_need_an_admin(api, ws):
    members = [str(m["user"]["id"]) for m in api.sim.truth.members(ws)]
    member = api.sim.tokens.member
    refused = api.get(f"/team/{ws}/time_entries", token=member, assignee=",".join(members))
    assert refused.status_code == 401 and refused.json()["ECODE"] == "ACCESS_064"
    own = api.json(f"/team/{ws}/time_entries", token=member, start_date=0)["data"]
    user = api.sim.truth.user(member)["id"]
    assert all(e["user"]["id"] == user for e in own)
    assert api.get(f"/team/{ws}/time_entries", space_id="1", list_id="2").json()["ECODE"] == "INPUT_005"


def test_time_in_status_needs_the_clickapp(fresh):
    api = fresh(tasks=60, workspaces=2, time_in_status_enabled=(1,))
    off, on = api.sim.truth.workspace_ids()
    task_off, task_on = api.sim.truth.task_ids(off)[0], api.sim.truth.task_ids(on)[0]
    refused = api.get(f"/task/{task_off}/time_in_status")
    assert refused.status_code == 400 and refused.json()["ECODE"] == "TIS_001"
    assert api.get("/task/bulk_time_in_status/task_ids", task_ids=[task_off]).status_code == 400
    assert api.get(f"/task/{task_on}/time_in_status").status_code == 200
    api.control("POST", "/time_in_status", {"workspace_id": off, "enabled": True})
    assert api.get(f"/task/{task_off}/time_in_status").status_code == 200
    assert api.get("/task/bulk_time_in_status/task_ids", task_ids=[task_on] * 101).status_code == 400
