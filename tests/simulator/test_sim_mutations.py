"""Changes over time, through the Python API and the /_sim/ control API, as the ClickUp API shows them."""

from __future__ import annotations

import pytest

from sim_helpers import NOW_MS, walk_tasks

EVERYTHING = {"include_closed": "true", "subtasks": "true"}


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


def test_advance_moves_the_clock_and_edits_stamp_date_updated(live):
    api, ws, tasks = live
    task = tasks[0]
    assert api.control("GET", "/clock")["now_ms"] == NOW_MS
    assert api.control("POST", "/clock/advance", {"seconds": 60})["now_ms"] == NOW_MS + 60_000
    edited = api.sim.update_task(
        task["id"],
        name="Renamed",
        priority=1,
        points=5,
        due_date=NOW_MS,
        assignees=[api.sim.truth.members(ws)[0]["user"]["id"]],
        tags=["brand-new"],
    )
    assert edited["date_updated"] == str(NOW_MS + 60_000) and edited["name"] == "Renamed"
    assert edited["priority"]["priority"] == "urgent" and edited["points"] == 5
    assert [t["name"] for t in edited["tags"]] == ["brand-new"]
    again = api.sim.update_task(task["id"], description="Same millisecond")
    assert int(again["date_updated"]) == NOW_MS + 60_001  # an edit always moves date_updated
    assert again["markdown_description"] and again["text_content"] == "Same millisecond"
    assert api.json(f"/task/{task['id']}", include_markdown_description="true") == again
    assert any(t["name"] == "brand-new" for t in api.json(f"/space/{task['space']['id']}/tag")["tags"])


def test_custom_field_values_set_and_cleared(live):
    api, ws, tasks = live
    task = tasks[1]
    fields = {f["type"]: f for f in task["custom_fields"]}
    drop = fields["drop_down"]
    updated = api.sim.update_task(task["id"], custom_fields={drop["id"]: 3, fields["number"]["id"]: None})
    values = {f["id"]: f for f in updated["custom_fields"]}
    assert values[drop["id"]]["value"] == 3 and "value" not in values[fields["number"]["id"]]
    with pytest.raises(ValueError):
        api.sim.update_task(task["id"], custom_fields={"not-a-field": 1})


def test_create_close_reopen_archive_move(live):
    api, ws, tasks = live
    home = tasks[2]["list"]["id"]
    made = api.control("POST", "/tasks", {"list_id": home, "name": "From the control API", "priority": 2})
    assert made["date_created"] == made["date_updated"] == str(NOW_MS) and made["priority"]["id"] == "2"
    sub = api.sim.create_task(home, "A subtask", parent=made["id"])
    assert sub["parent"] == made["id"] and sub["top_level_parent"] == made["id"]
    api.sim.advance(5)
    closed = api.control("POST", f"/tasks/{made['id']}/close")
    assert closed["status"]["type"] == "closed" and closed["date_closed"] == closed["date_done"] == str(
        NOW_MS + 5000
    )
    assert made["id"] not in [t["id"] for t in walk_tasks(api, f"/team/{ws}/task")]
    reopened = api.sim.reopen_task(made["id"])
    assert reopened["date_closed"] is None and reopened["date_done"] is None
    archived = api.control("POST", f"/tasks/{made['id']}/archive")
    assert archived["archived"]
    assert made["id"] in [t["id"] for t in walk_tasks(api, f"/team/{ws}/task", archived="true", **EVERYTHING)]
    api.sim.unarchive_task(made["id"])
    target = next(t["list"]["id"] for t in tasks if t["list"]["id"] != home)
    moved = api.control("POST", f"/tasks/{made['id']}/move", {"list_id": target})
    assert moved["list"]["id"] == target and moved["id"] == made["id"]
    assert api.json(f"/task/{sub['id']}")["list"]["id"] == target  # subtasks move along


def test_tasks_in_several_lists(live):
    api, ws, tasks = live
    task, other = tasks[3], next(t["list"] for t in tasks if t["list"]["id"] != tasks[3]["list"]["id"])
    added = api.control("POST", f"/tasks/{task['id']}/locations", {"list_id": other["id"]})
    assert {"id": other["id"], "name": other["name"]} in added["locations"]
    assert task["id"] in [
        t["id"] for t in walk_tasks(api, f"/list/{other['id']}/task", include_timl="true", **EVERYTHING)
    ]
    removed = api.control("DELETE", f"/tasks/{task['id']}/locations/{other['id']}")
    assert other["id"] not in [x["id"] for x in removed["locations"]]


def test_deleted_tasks_answer_item_013_and_are_recorded(live):
    api, ws, tasks = live
    parent = next(t for t in tasks if any(s["parent"] == t["id"] for s in tasks))
    children = [t["id"] for t in tasks if t["parent"] == parent["id"]]
    api.control("DELETE", f"/tasks/{parent['id']}")
    gone = api.get(f"/task/{parent['id']}")
    assert gone.status_code == 404 and gone.json() == {"err": "Task not found, deleted", "ECODE": "ITEM_013"}
    assert api.get(f"/task/{children[0]}").json()["ECODE"] == "ITEM_013"  # subtasks go with their parent
    deleted = api.sim.truth.deleted(ws)["tasks"]
    assert set(deleted) == {parent["id"], *children} and set(deleted.values()) == {NOW_MS}
    listed = {t["id"] for t in walk_tasks(api, f"/team/{ws}/task", **EVERYTHING)}
    assert parent["id"] not in listed and api.sim.truth.task(parent["id"]) is None


def test_comments_and_replies_created_and_deleted(live):
    api, ws, tasks = live
    task = tasks[4]
    api.sim.advance(1)
    comment = api.control("POST", f"/tasks/{task['id']}/comments", {"text": "First!"})
    assert comment["comment_text"] == "First!" and comment["date"] == str(NOW_MS + 1000)
    reply = api.sim.create_comment(task["id"], "A reply", parent_comment_id=comment["id"])
    newest = api.json(f"/task/{task['id']}/comment")["comments"][0]
    assert newest["id"] == comment["id"] and newest["reply_count"] == "1"
    assert [r["id"] for r in api.json(f"/comment/{comment['id']}/reply")["comments"]] == [reply["id"]]
    assert api.json(f"/task/{task['id']}")["date_updated"] == str(NOW_MS + 1001)  # comments stamp their task
    api.control("DELETE", f"/comments/{comment['id']}")
    assert comment["id"] not in [c["id"] for c in api.json(f"/task/{task['id']}/comment")["comments"]]
    assert set(api.sim.truth.deleted(ws)["comments"]) == {comment["id"], reply["id"]}


def test_time_entries_created_and_deleted(live):
    api, ws, tasks = live
    task = next(t for t in tasks[5:] if "time_spent" in t)  # a space with time tracking on
    before = api.json(f"/task/{task['id']}")["time_spent"]
    entry = api.control(
        "POST", f"/tasks/{task['id']}/time_entries", {"duration_ms": 1_800_000, "description": "Pairing"}
    )
    assert entry["duration"] == "1800000" and entry["description"] == "Pairing"
    assert api.json(f"/task/{task['id']}")["time_spent"] == before + 1_800_000
    own = [e["id"] for e in api.json(f"/team/{ws}/time_entries")["data"]]
    assert entry["id"] in own
    running = api.sim.create_time_entry(task["id"], running=True)
    api.sim.advance(90)
    assert api.json(f"/team/{ws}/time_entries/current")["data"]["duration"] == -90_000
    api.control("DELETE", f"/time_entries/{entry['id']}")
    api.sim.delete_time_entry(running["id"])
    assert entry["id"] not in [e["id"] for e in api.json(f"/team/{ws}/time_entries")["data"]]
    assert set(api.sim.truth.deleted(ws)["time_entries"]) == {entry["id"], running["id"]}


def test_archiving_and_deleting_lists_folders_and_spaces(live):
    api, ws, tasks = live
    list_id = tasks[6]["list"]["id"]
    in_list = {t["id"] for t in tasks if t["list"]["id"] == list_id}
    api.control("POST", f"/lists/{list_id}/archive")
    listed = {t["id"] for t in walk_tasks(api, f"/team/{ws}/task", **EVERYTHING)}
    assert not listed & in_list
    assert in_list <= {t["id"] for t in walk_tasks(api, f"/list/{list_id}/task", **EVERYTHING)}
    api.control("POST", f"/lists/{list_id}/unarchive")
    api.control("DELETE", f"/lists/{list_id}")
    assert api.get(f"/list/{list_id}").json()["ECODE"] == "ITEM_015"
    assert in_list <= set(api.sim.truth.deleted(ws)["tasks"])
    folder = next(f for f in api.sim.truth.folders(ws) if not f["archived"] and f["lists"])
    api.control("POST", f"/folders/{folder['id']}/archive")
    assert folder["id"] in [
        f["id"] for f in api.json(f"/space/{folder['space']['id']}/folder", archived="true")["folders"]
    ]
    api.sim.delete_folder(folder["id"])
    assert folder["id"] in api.sim.truth.deleted(ws)["folders"]
    space = next(s for s in api.sim.truth.spaces(ws) if not s["archived"])
    api.control("POST", f"/spaces/{space['id']}/archive")
    assert space["id"] in [s["id"] for s in api.json(f"/team/{ws}/space", archived="true")["spaces"]]
    api.control("DELETE", f"/spaces/{space['id']}")
    assert api.get(f"/space/{space['id']}").json() == {"err": "Space not found", "ECODE": "PROJ_006"}


def test_truth_over_the_control_api_matches_python(live):
    api, ws, _ = live
    assert api.control("GET", f"/truth/{ws}/task_ids") == api.sim.truth.task_ids(ws)
    assert api.control("GET", "/truth/workspaces") == [ws]
    assert api.session.post(api.server.control_url + "/tasks/nope/close").status_code == 404
    assert api.session.post(api.server.control_url + "/tasks", json={"list_id": "1"}).status_code == 404
