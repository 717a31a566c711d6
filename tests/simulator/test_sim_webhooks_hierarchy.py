"""Changes to lists, folders, spaces and goals, through Python and the control API, send the events
ClickUp sends for them, shaped like the documented payloads."""

from __future__ import annotations

import pytest

from webhook_payloads import assert_keys, events, example, sent, world_of


@pytest.fixture
def world(hooked):
    return world_of(hooked)


def test_lists(world, receiver):
    api, ws, webhook, tasks = world
    sim = api.sim
    space = tasks[0]["space"]["id"]
    lst = {}
    created = sent(api, receiver, lambda: lst.update(sim.create_list(space, "Webhook payloads")))
    assert events(created) == ["listCreated"] and created[0]["list_id"] == lst["id"]
    assert_keys(created[0], example("listCreated"))
    renamed = sent(api, receiver, lambda: sim.rename_list(lst["id"], "Webhook payloads round 2"))
    assert events(renamed) == ["listUpdated"]
    assert_keys(renamed[0], example("listUpdated"))
    item = renamed[0]["history_items"][0]
    assert (item["field"], item["before"], item["after"]) == (
        "name",
        "Webhook payloads",
        "Webhook payloads round 2",
    )
    assert item["type"] == 6 and item["parent_id"] == lst["id"]
    archived = sent(api, receiver, lambda: sim.archive_list(lst["id"]))
    assert events(archived) == ["listUpdated"] and archived[0]["history_items"][0]["field"] == "archived"
    deleted = sent(api, receiver, lambda: sim.delete_list(lst["id"]))
    assert events(deleted) == ["listDeleted"]
    assert_keys(deleted[0], example("listDeleted"))


def test_folders(world, receiver):
    api, ws, webhook, tasks = world
    sim = api.sim
    space = tasks[0]["space"]["id"]
    folder = {}
    created = sent(api, receiver, lambda: folder.update(sim.create_folder(space, "Payloads")))
    assert events(created) == ["folderCreated"]
    assert_keys(created[0], example("folderCreated"))
    lists = []
    sent(api, receiver, lambda: lists.extend(sim.create_list(folder["id"], f"L{k}")["id"] for k in range(2)))
    renamed = sent(api, receiver, lambda: sim.rename_folder(folder["id"], "Payloads 2"))
    assert events(renamed) == ["folderUpdated"]
    assert_keys(renamed[0], example("folderUpdated"))
    assert events(sent(api, receiver, lambda: sim.archive_folder(folder["id"]))) == ["folderUpdated"]
    deleted = sent(api, receiver, lambda: sim.delete_folder(folder["id"]))
    assert events(deleted) == ["listDeleted", "listDeleted", "folderDeleted"]
    assert [b.get("list_id") for b in deleted[:2]] == lists
    assert_keys(deleted[2], example("folderDeleted"))


def test_spaces(world, receiver):
    api, ws, webhook, tasks = world
    sim = api.sim
    space = {}
    created = sent(api, receiver, lambda: space.update(sim.create_space(ws, "API space")))
    assert events(created) == ["spaceCreated", "listCreated", "spaceUpdated"]
    assert_keys(created[0], example("spaceCreated"))
    assert_keys(created[2], example("spaceUpdated"))
    default_list = created[1]["list_id"]
    assert [x["name"] for x in sim.truth.lists(ws) if x["id"] == default_list] == ["List"]
    assert api.json(f"/space/{space['id']}")["name"] == "API space"
    assert events(sent(api, receiver, lambda: sim.rename_space(space["id"], "Renamed"))) == ["spaceUpdated"]
    folder = {}
    sent(api, receiver, lambda: folder.update(sim.create_folder(space["id"], "F")))
    sent(api, receiver, lambda: sim.create_list(folder["id"], "In folder"))
    deleted = sent(api, receiver, lambda: sim.delete_space(space["id"]))
    assert events(deleted) == ["listDeleted", "listDeleted", "folderDeleted", "spaceDeleted"]
    assert deleted[2]["folder_id"] == folder["id"] and deleted[3]["space_id"] == space["id"]
    assert_keys(deleted[3], example("spaceDeleted"))


def test_goals(world, receiver):
    api, ws, webhook, tasks = world
    sim = api.sim
    goal = {}
    created = sent(api, receiver, lambda: goal.update(sim.create_goal(ws, "Ship webhooks")))
    assert events(created) == ["goalCreated"] and created[0]["goal_id"] == goal["id"]
    assert_keys(created[0], example("goalCreated"))
    assert api.json(f"/goal/{goal['id']}")["goal"]["name"] == "Ship webhooks"
    updated = sent(api, receiver, lambda: sim.update_goal(goal["id"], name="Shipped"))
    assert events(updated) == ["goalUpdated"]
    assert_keys(updated[0], example("goalUpdated"))
    deleted = sent(api, receiver, lambda: sim.delete_goal(goal["id"]))
    assert events(deleted) == ["goalDeleted"]
    assert_keys(deleted[0], example("goalDeleted"))


def test_control_api_changes_send_events_too(world, receiver):
    api, ws, webhook, tasks = world
    task = tasks[8]
    bodies = sent(api, receiver, lambda: api.control("POST", f"/tasks/{task['id']}/close"))
    assert events(bodies) == ["taskUpdated", "taskStatusUpdated"]
    lst = api.control("POST", "/lists", {"parent_id": task["space"]["id"], "name": "Over HTTP"})
    renamed = sent(
        api, receiver, lambda: api.control("POST", f"/lists/{lst['id']}/rename", {"name": "Renamed"})
    )
    assert events(renamed) == ["listCreated", "listUpdated"]
    goal = api.control("POST", "/goals", {"workspace_id": ws, "name": "G"})
    edited = sent(api, receiver, lambda: api.control("PATCH", f"/goals/{goal['id']}", {"name": "H"}))
    assert events(edited) == ["goalCreated", "goalUpdated"]
    space = sent(api, receiver, lambda: api.control("POST", "/spaces", {"workspace_id": ws, "name": "S"}))
    assert events(space) == ["spaceCreated", "listCreated", "spaceUpdated"]
