"""Objects that vanish between two requests: hidden from every token, deleted goals, time entries moved
out of a window, and changes timed by the traffic (triggers)."""

from __future__ import annotations

import pytest

from sim_helpers import NOW_MS, walk_tasks

EVERYTHING = {"include_closed": "true", "subtasks": "true"}
NO_TASK = {"err": "You do not have access to this task", "ECODE": "ACCESS_083"}
DAY_MS = 86_400_000


@pytest.fixture
def live(fresh):
    api = fresh(tasks=300)
    ws = api.sim.truth.workspace_ids()[0]
    tasks = [
        t
        for t in api.sim.truth.tasks(ws)
        if not t["archived"] and t["list"]["id"] not in api.sim.truth.archived_list_ids(ws)
    ]
    return api, ws, tasks


def listed(api, ws, token="primary") -> set[str]:
    return {t["id"] for t in walk_tasks(api, f"/team/{ws}/task", token=token, **EVERYTHING)}


def test_a_hidden_task_and_its_subtasks_answer_access_083_to_every_token(live):
    api, ws, tasks = live
    parent = next(
        t for t in tasks if any(s["parent"] == t["id"] for s in tasks) and api.sim.truth.comments(t["id"])
    )
    child = next(t["id"] for t in tasks if t["parent"] == parent["id"])
    entries = {e["id"] for e in api.sim.truth.time_entries(ws) if e["task"]["id"] in (parent["id"], child)}
    api.control("POST", f"/tasks/{parent['id']}/hide")
    admin = api.sim.tokens.admin(ws)
    for token in ("primary", admin):
        for path in (
            f"/task/{parent['id']}",
            f"/task/{parent['id']}/comment",
            f"/task/{child}",
            f"/task/{parent['id']}/member",
            f"/task/{parent['id']}/time_in_status",
        ):
            r = api.get(path, token=token)
            assert (r.status_code, r.json()) == (401, NO_TASK), path
        assert not {parent["id"], child} & listed(api, ws, token)
    reply_of = api.sim.truth.comments(parent["id"])[0]["id"]
    assert api.get(f"/comment/{reply_of}/reply").json() == NO_TASK
    bulk = api.json("/task/bulk_time_in_status/task_ids", task_ids=[parent["id"], tasks[0]["id"]])
    assert parent["id"] not in bulk
    members = ",".join(str(m["user"]["id"]) for m in api.sim.truth.members(ws))
    served = {e["id"] for e in api.json(f"/team/{ws}/time_entries", start_date=0, assignee=members)["data"]}
    assert not served & entries
    truth = api.sim.truth
    assert truth.task(parent["id"]) is None and not {parent["id"], child} & set(truth.task_ids(ws))
    assert not {e["id"] for e in truth.time_entries(ws)} & entries
    assert parent["id"] not in truth.deleted(ws)["tasks"]  # hidden is not deleted
    api.sim.unhide("task", parent["id"])
    assert api.json(f"/task/{parent['id']}")["id"] == parent["id"]
    assert {parent["id"], child} <= listed(api, ws)


def test_a_hidden_list_folder_or_space_takes_everything_under_it(live):
    api, ws, tasks = live
    truth = api.sim.truth
    task = next(t for t in tasks if not t["folder"]["hidden"])
    list_id, folder_id, space_id = task["list"]["id"], task["folder"]["id"], task["space"]["id"]
    in_list = {t["id"] for t in tasks if t["list"]["id"] == list_id}
    no_list = {"err": "You do not have access to this List", "ECODE": "ACCESS_080"}

    api.control("POST", f"/lists/{list_id}/hide")
    for path in (
        f"/list/{list_id}",
        f"/list/{list_id}/task",
        f"/list/{list_id}/field",
        f"/list/{list_id}/member",
    ):
        r = api.get(path)
        assert (r.status_code, r.json()) == (401, no_list), path
    assert api.get(f"/task/{task['id']}").json() == NO_TASK
    assert api.get(f"/task/{task['id']}/comment").json() == NO_TASK
    assert list_id not in {x["id"] for x in api.json(f"/folder/{folder_id}/list")["lists"]}
    assert list_id not in {x["id"] for x in api.json(f"/folder/{folder_id}")["lists"]}
    assert not in_list & listed(api, ws)
    assert list_id not in {x["id"] for x in truth.lists(ws)} and not in_list & set(truth.task_ids(ws))
    api.sim.unhide_list(list_id)
    assert in_list <= listed(api, ws)

    api.sim.hide("folder", folder_id)
    assert api.get(f"/folder/{folder_id}").json()["ECODE"] == "ACCESS_080"
    assert api.get(f"/folder/{folder_id}/list").status_code == 401
    assert api.get(f"/list/{list_id}").json()["ECODE"] == "ACCESS_080"
    assert folder_id not in {f["id"] for f in api.json(f"/space/{space_id}/folder")["folders"]}
    assert folder_id not in {f["id"] for f in truth.folders(ws)} and not in_list & listed(api, ws)
    api.control("POST", f"/folders/{folder_id}/unhide")

    api.control("POST", f"/spaces/{space_id}/hide")
    r = api.get(f"/space/{space_id}")
    assert (r.status_code, r.json()) == (
        401,
        {"err": "You do not have access to this Space", "ECODE": "ACCESS_080"},
    )
    assert api.get(f"/space/{space_id}/folder").status_code == 401
    assert api.get(f"/folder/{folder_id}").json()["ECODE"] == "ACCESS_080"
    assert space_id not in {s["id"] for s in api.json(f"/team/{ws}/space")["spaces"]}
    assert space_id not in {s["id"] for s in truth.spaces(ws)} and space_id not in truth.tags(ws)
    in_space = {t["id"] for t in tasks if t["space"]["id"] == space_id}
    assert not in_space & listed(api, ws) and not in_space & set(truth.task_ids(ws))
    api.sim.unhide_space(space_id)
    assert in_space <= listed(api, ws)
    with pytest.raises(ValueError):
        api.sim.hide("goal", "x")


def test_a_deleted_goal_answers_404_and_leaves_the_listing(live):
    api, ws, _ = live
    goal = api.sim.truth.goals(ws)[0]
    api.control("DELETE", f"/goals/{goal['id']}")
    r = api.get(f"/goal/{goal['id']}")
    assert (r.status_code, r.json()) == (404, {"err": "Goal not found", "ECODE": "ITEM_015"})
    listing = api.json(f"/team/{ws}/goal", include_completed="true")
    assert goal["id"] not in {
        g["id"] for g in listing["goals"] + [g for f in listing["folders"] for g in f["goals"]]
    }
    assert goal["id"] not in {g["id"] for g in api.sim.truth.goals(ws)}
    assert api.sim.truth.deleted(ws)["goals"] == {goal["id"]: NOW_MS}
    with pytest.raises(LookupError):
        api.sim.delete_goal(goal["id"])


def test_a_time_entry_moved_out_of_a_date_window(live):
    api, ws, _ = live
    members = ",".join(str(m["user"]["id"]) for m in api.sim.truth.members(ws))
    entry = next(e for e in api.sim.truth.time_entries(ws) if "end" in e)
    start = int(entry["start"])

    def window(lo, hi):
        found = api.json(f"/team/{ws}/time_entries", start_date=lo, end_date=hi, assignee=members)["data"]
        return {e["id"] for e in found}

    assert entry["id"] in window(start - DAY_MS, start + DAY_MS)
    moved = api.control(
        "PATCH",
        f"/time_entries/{entry['id']}",
        {"start_ms": start - 40 * DAY_MS, "duration_ms": 60_000, "description": "moved"},
    )
    assert moved["start"] == str(start - 40 * DAY_MS) and moved["duration"] == "60000"
    assert moved["description"] == "moved" and moved["at"] == str(NOW_MS)
    assert entry["id"] not in window(start - DAY_MS, start + DAY_MS)
    assert entry["id"] in window(start - 41 * DAY_MS, start - 39 * DAY_MS)
    spent = sum(
        int(e["duration"])
        for e in api.sim.truth.time_entries(ws)
        if e["task"]["id"] == entry["task"]["id"] and "end" in e
    )
    assert api.sim.truth.task(entry["task"]["id"]).get("time_spent", spent) == spent
    with pytest.raises(LookupError):
        api.sim.update_time_entry("123", start_ms=0)


def test_a_trigger_deletes_a_task_between_the_walk_and_its_comments(live):
    api, ws, tasks = live
    first_page = api.json(f"/team/{ws}/task", **EVERYTHING)["tasks"]
    victim = next(t["id"] for t in first_page if api.sim.truth.comments(t["id"]))
    set_ = api.control(
        "POST",
        "/triggers",
        {"after": "GET /team/{team_id}/task", "count": 1, "action": "delete_task", "id": victim},
    )
    assert set_["remaining"] == 1 and not set_["fired"]
    assert api.json(f"/task/{victim}")["id"] == victim  # other endpoints do not count
    page = api.json(f"/team/{ws}/task", **EVERYTHING)["tasks"]
    assert victim in {t["id"] for t in page}  # the answer that fires it still lists the task
    gone = api.get(f"/task/{victim}/comment")  # the very next request sees it deleted
    assert (gone.status_code, gone.json()["ECODE"]) == (404, "ITEM_013")
    [fired] = api.control("GET", "/triggers")
    assert fired["fired"] and fired["error"] is None and fired["remaining"] == 0
    assert victim in api.sim.truth.deleted(ws)["tasks"]


def test_triggers_count_answers_and_take_arguments(live):
    api, ws, tasks = live
    task, other = tasks[0]["id"], tasks[1]["list"]["id"]
    api.sim.after("GET /task/{task_id}", 2, "update_task", task, name="Renamed by a trigger")
    api.sim.after("GET /task/{task_id}", 3, "hide_list", other)
    names = [api.json(f"/task/{task}")["name"] for _ in range(3)]
    assert names[:2] == [tasks[0]["name"]] * 2 and names[2] == "Renamed by a trigger"
    assert api.get(f"/list/{other}").json()["ECODE"] == "ACCESS_080"
    api.sim.after("GET /team", 1, "delete_task", "86zzzzzzz")  # an action that fails is recorded, not raised
    api.get("/team")
    assert "86zzzzzzz" in api.control("GET", "/triggers")[-1]["error"]
    assert api.control("DELETE", "/triggers") == []
    for bad in (
        {"after": "team", "action": "delete_task", "id": task},
        {"after": "GET /team", "action": "create_task", "id": task},
        {"after": "GET /team", "count": 0, "action": "delete_task", "id": task},
    ):
        assert api.session.post(api.server.control_url + "/triggers", json=bad).status_code == 400
