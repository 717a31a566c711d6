"""Every kind of task change sends the events ClickUp sends for it, shaped like the documented payloads
(tests/simulator/examples/webhook_*.docs.json: the same keys, all the way down)."""

from __future__ import annotations

import orjson
import pytest

from sim_helpers import NOW_MS
from webhook_payloads import assert_keys, events, example, sent, world_of


@pytest.fixture
def world(hooked):
    return world_of(hooked)


def test_task_created(world, receiver):
    api, ws, webhook, tasks = world
    list_id = tasks[0]["list"]["id"]
    task = {}
    bodies = sent(api, receiver, lambda: task.update(api.sim.create_task(list_id, "Fresh")))
    assert events(bodies) == ["taskCreated", "taskStatusUpdated"]
    created, status = bodies
    assert_keys(created, example("taskCreated"))
    assert_keys(status, example("taskStatusUpdated_on_create"))
    assert created["task_id"] == task["id"] and created["webhook_id"] == webhook["id"]
    first, creation = created["history_items"]
    assert (first["field"], creation["field"]) == ("status", "task_creation")
    assert first["before"]["type"] == "removed" and first["after"]["status"] == task["status"]["status"]
    assert status["history_items"] == [first]
    owner = api.sim.truth.user()["id"]
    for item in created["history_items"]:
        assert isinstance(item["id"], str) and item["date"] == task["date_created"]
        assert item["parent_id"] == list_id and item["user"]["id"] == owner and item["type"] == 1


def test_each_task_field_sends_task_updated_and_its_specific_event(world, receiver):
    api, ws, webhook, tasks = world
    sim, task = api.sim, tasks[1]
    people = [m["user"]["id"] for m in sim.truth.members(ws) if m["user"]["username"]]
    assignee = next(p for p in people if p not in {a["id"] for a in task["assignees"]})
    checks = [
        (
            {"priority": 2 if (task["priority"] or {}).get("id") != "2" else 3},
            "priority",
            "taskPriorityUpdated",
        ),
        ({"assignees": [assignee]}, "assignee_add", "taskAssigneeUpdated"),
        ({"due_date": NOW_MS + 86_400_000}, "due_date", "taskDueDateUpdated"),
        ({"tags": [t["name"] for t in task["tags"]] + ["webhook-tag"]}, "tag", "taskTagUpdated"),
        ({"time_estimate": 5_400_000}, "time_estimate", "taskTimeEstimateUpdated"),
    ]
    seen_ids = set()
    for change, field, specific in checks:
        bodies = sent(api, receiver, lambda change=change: sim.update_task(task["id"], **change))
        assert events(bodies) == ["taskUpdated", specific], change
        updated, special = bodies
        assert updated["history_items"] == special["history_items"] and len(updated["history_items"]) == 1
        item = special["history_items"][0]
        assert item["field"] == field and item["parent_id"] == task["list"]["id"]
        assert item["date"] == sim.truth.task(task["id"])["date_updated"]
        assert_keys(special, example(specific))
        seen_ids.add(item["id"])
    assert len(seen_ids) == len(checks)
    estimate = special["history_items"][0]
    assert estimate["after"] == "5400000" and estimate["data"]["time_estimate_string"] == "1 hour 30 minutes"
    removed = sent(api, receiver, lambda: sim.update_task(task["id"], assignees=[]))
    assert {b["event"] for b in removed} == {"taskUpdated", "taskAssigneeUpdated"}
    assert {i["field"] for b in removed for i in b["history_items"]} == {"assignee_rem"}


def test_status_changes_close_and_reopen(world, receiver):
    api, ws, webhook, tasks = world
    task = tasks[2]
    closed = sent(api, receiver, lambda: api.sim.close_task(task["id"]))
    assert events(closed) == ["taskUpdated", "taskStatusUpdated"]
    assert_keys(closed[0], example("taskUpdated_status"))
    assert_keys(closed[1], example("taskStatusUpdated"))
    item = closed[1]["history_items"][0]
    assert item["before"]["status"] == task["status"]["status"] and item["after"]["type"] == "closed"
    assert item["data"] == {"status_type": "closed"}
    reopened = sent(api, receiver, lambda: api.sim.reopen_task(task["id"]))
    assert events(reopened) == ["taskUpdated", "taskStatusUpdated"]


def test_several_fields_at_once_send_one_task_updated_per_item(world, receiver):
    api, ws, webhook, tasks = world
    bodies = sent(
        api, receiver, lambda: api.sim.update_task(tasks[3]["id"], name="Both", description="New text")
    )
    assert events(bodies) == ["taskUpdated", "taskUpdated"]
    assert [b["history_items"][0]["field"] for b in bodies] == ["name", "content"]
    content = bodies[1]
    assert_keys(content, example("taskUpdated_content"))
    assert orjson.loads(content["history_items"][0]["after"])["ops"][0]["insert"] == "New text"
    assert sent(api, receiver, lambda: api.sim.update_task(tasks[3]["id"], name="Both")) == []  # no change


def test_custom_field_value(world, receiver):
    api, ws, webhook, tasks = world
    task = next(t for t in tasks if any(f["type"] == "drop_down" for f in t["custom_fields"]))
    field = next(f for f in task["custom_fields"] if f["type"] == "drop_down")
    value = 1 if field.get("value") != 1 else 2
    bodies = sent(api, receiver, lambda: api.sim.update_task(task["id"], custom_fields={field["id"]: value}))
    assert events(bodies) == ["taskUpdated"]
    assert_keys(bodies[0], example("taskUpdated_custom_field"))
    item = bodies[0]["history_items"][0]
    assert item["custom_field"]["id"] == field["id"]
    assert item["after"] == field["type_config"]["options"][value]["id"]


def test_move_sends_task_moved(world, receiver):
    api, ws, webhook, tasks = world
    task = tasks[4]
    space_lists = [x for x in api.sim.truth.lists(ws) if x["space"]["id"] == task["space"]["id"]]
    target = next(x for x in space_lists if x["id"] != task["list"]["id"] and not x["archived"])
    bodies = sent(api, receiver, lambda: api.sim.move_task(task["id"], target["id"]))
    moved = [b for b in bodies if b["event"] == "taskMoved"]
    assert len(moved) == 1 and events(bodies)[:2] == ["taskUpdated", "taskMoved"]
    assert_keys(moved[0], example("taskMoved"))
    item = moved[0]["history_items"][0]
    assert item["before"]["id"] == task["list"]["id"] and item["after"]["id"] == target["id"]
    assert item["parent_id"] == target["id"] and item["after"]["project"]["id"] == task["space"]["id"]


def test_comments(world, receiver):
    api, ws, webhook, tasks = world
    sim, task = api.sim, tasks[5]
    comment = {}
    posted = sent(api, receiver, lambda: comment.update(sim.create_comment(task["id"], "Hello there")))
    assert events(posted) == ["taskUpdated", "taskCommentPosted"]
    assert_keys(posted[1], example("taskCommentPosted"))
    item = posted[1]["history_items"][0]
    assert item["after"] == comment["id"] and item["comment"]["text_content"] == "Hello there\n"
    edited = sent(api, receiver, lambda: sim.update_comment(comment["id"], "Hello again"))
    assert events(edited) == ["taskUpdated", "taskCommentUpdated"]
    assert_keys(edited[1], example("taskCommentUpdated"))
    assert edited[1]["history_items"][0]["comment"]["comment"][0]["text"] == "Hello again"
    assert sim.truth.comments(task["id"])[0]["comment_text"] == "Hello again"
    deleted = sent(api, receiver, lambda: sim.delete_comment(comment["id"]))
    assert events(deleted) == ["taskUpdated", "taskCommentUpdated"]
    gone = deleted[1]["history_items"][0]
    assert (gone["before"], gone["after"]) == (comment["id"], None)


def test_time_tracked(world, receiver):
    api, ws, webhook, tasks = world
    sim, task = api.sim, tasks[6]
    entry = {}
    created = sent(
        api, receiver, lambda: entry.update(sim.create_time_entry(task["id"], duration_ms=900_000))
    )
    assert events(created) == ["taskUpdated", "taskTimeTrackedUpdated"]
    tracked = created[1]
    assert_keys(tracked, example("taskTimeTrackedUpdated"))
    assert tracked["data"] == {"description": "Time Tracking Created", "interval_id": entry["id"]}
    assert tracked["history_items"][0]["after"]["time"] == "900000"
    assert "data" not in created[0]
    updated = sent(api, receiver, lambda: sim.update_time_entry(entry["id"], duration_ms=600_000))
    assert updated[1]["data"]["description"] == "Time Tracking Updated"
    assert updated[1]["history_items"][0]["before"]["time"] == "900000"
    removed = sent(api, receiver, lambda: sim.delete_time_entry(entry["id"]))
    assert removed[1]["data"]["description"] == "Time Tracking Deleted"
    assert removed[1]["history_items"][0]["after"] is None


def test_task_deleted_with_its_subtasks(world, receiver):
    api, ws, webhook, tasks = world
    sim = api.sim
    parents = {t["parent"] for t in sim.truth.tasks(ws)}
    task = next(t for t in tasks[7:] if t["id"] not in parents)
    child = {}
    sent(api, receiver, lambda: child.update(sim.create_task(task["list"]["id"], "Child", parent=task["id"])))
    bodies = sent(api, receiver, lambda: sim.delete_task(task["id"]))
    assert events(bodies) == ["taskDeleted", "taskDeleted"]
    assert [b["task_id"] for b in bodies] == [task["id"], child["id"]]
    for body in bodies:
        assert_keys(body, example("taskDeleted"))
