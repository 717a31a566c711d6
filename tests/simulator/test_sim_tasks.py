"""The task endpoints: what they include, filters, order and pages (read-only, on the shared simulator)."""

from __future__ import annotations

import pytest

from sim_helpers import walk_tasks

EVERYTHING = {"include_closed": "true", "subtasks": "true"}


@pytest.fixture(scope="module")
def team_tasks(api, ws):
    active = walk_tasks(api, f"/team/{ws}/task", **EVERYTHING)
    archived = walk_tasks(api, f"/team/{ws}/task", archived="true", **EVERYTHING)
    return active, archived


def ids(tasks) -> list[str]:
    return [t["id"] for t in tasks]


def test_workspace_walk_plus_archived_lists_is_every_task(api, ws, team_tasks):
    active, archived = team_tasks
    assert all(not t["archived"] for t in active) and all(t["archived"] for t in archived)
    hidden_lists = set(api.sim.truth.archived_list_ids(ws))
    assert hidden_lists and not {t["list"]["id"] for t in active + archived} & hidden_lists
    from_lists = []
    for list_id in hidden_lists:
        for flag in ("false", "true"):
            from_lists += walk_tasks(api, f"/list/{list_id}/task", archived=flag, **EVERYTHING)
    assert {t["list"]["id"] for t in from_lists} <= hidden_lists
    found = ids(active) + ids(archived) + ids(from_lists)
    assert len(found) == len(set(found))
    truth = {t["id"]: t for t in api.sim.truth.tasks(ws, markdown=False)}
    assert set(found) == set(truth)
    for task in active + archived + from_lists:
        assert task == truth[task["id"]]


def test_defaults_leave_out_closed_tasks_and_subtasks(api, ws, team_tasks):
    active, _ = team_tasks
    default = walk_tasks(api, f"/team/{ws}/task")
    expected = [t for t in active if t["status"]["type"] != "closed" and t["parent"] is None]
    assert set(ids(default)) == set(ids(expected))
    assert any(t["status"]["type"] == "closed" for t in active) and any(t["parent"] for t in active)
    assert any(t["status"]["type"] == "done" for t in default)  # done is not closed
    with_subtasks = walk_tasks(api, f"/team/{ws}/task", subtasks="true")
    assert {t["id"] for t in with_subtasks if t["parent"]} == {
        t["id"] for t in active if t["parent"] and t["status"]["type"] != "closed"
    }


def created(t):
    return int(t["date_created"])


def test_order_is_newest_created_first_unless_reversed(api, ws):
    newest_first = walk_tasks(api, f"/team/{ws}/task", **EVERYTHING)
    assert [created(t) for t in newest_first] == sorted((created(t) for t in newest_first), reverse=True)
    oldest_first = walk_tasks(api, f"/team/{ws}/task", reverse="true", **EVERYTHING)
    assert ids(oldest_first) == ids(newest_first)[::-1]
    by_updated = walk_tasks(api, f"/team/{ws}/task", order_by="updated", reverse="true", **EVERYTHING)
    assert [int(t["date_updated"]) for t in by_updated] == sorted(int(t["date_updated"]) for t in by_updated)
    by_id = walk_tasks(api, f"/team/{ws}/task", order_by="id", **EVERYTHING)
    assert ids(by_id) == sorted(ids(by_id), reverse=True)  # ids grow with creation, like ClickUp's
    by_due = walk_tasks(api, f"/team/{ws}/task", order_by="due_date", reverse="true", **EVERYTHING)
    dues = [t["due_date"] for t in by_due]
    present = [int(d) for d in dues if d is not None]
    assert present == sorted(present) and dues[len(present) :] == [None] * (len(dues) - len(present))


def test_date_filters(api, ws, team_tasks):
    active, _ = team_tasks
    pivot = sorted(active, key=lambda t: int(t["date_updated"]))[len(active) // 2]
    x = int(pivot["date_updated"])
    since = walk_tasks(api, f"/team/{ws}/task", date_updated_gt=x, **EVERYTHING)
    assert pivot["id"] in ids(since)  # date_updated_gt is inclusive, as on ClickUp
    assert set(ids(since)) == {t["id"] for t in active if int(t["date_updated"]) >= x}
    before = walk_tasks(api, f"/team/{ws}/task", date_updated_lt=x, **EVERYTHING)
    assert set(ids(before)) == {t["id"] for t in active if int(t["date_updated"]) < x}
    c = created(pivot)
    after_created = walk_tasks(api, f"/team/{ws}/task", date_created_gt=c, **EVERYTHING)
    assert set(ids(after_created)) == {t["id"] for t in active if created(t) > c}
    done = [t for t in active if t["date_done"]]
    d = int(sorted(done, key=lambda t: int(t["date_done"]))[len(done) // 2]["date_done"])
    window = walk_tasks(api, f"/team/{ws}/task", date_done_gt=d - 10**10, date_done_lt=d, **EVERYTHING)
    assert set(ids(window)) == {t["id"] for t in done if d - 10**10 < int(t["date_done"]) < d}
    dues = walk_tasks(api, f"/team/{ws}/task", due_date_lt=c + 10**9, **EVERYTHING)
    assert set(ids(dues)) == {t["id"] for t in active if t["due_date"] and int(t["due_date"]) < c + 10**9}


def test_location_status_assignee_tag_and_type_filters(api, ws, team_tasks):
    active, _ = team_tasks
    one = active[3]
    by_list = walk_tasks(api, f"/team/{ws}/task", **{"list_ids[]": one["list"]["id"]}, **EVERYTHING)
    assert set(ids(by_list)) == {t["id"] for t in active if t["list"]["id"] == one["list"]["id"]}
    by_space = walk_tasks(api, f"/team/{ws}/task", **{"space_ids[]": one["space"]["id"]}, **EVERYTHING)
    assert set(ids(by_space)) == {t["id"] for t in active if t["space"]["id"] == one["space"]["id"]}
    foldered = next(t for t in active if not t["folder"]["hidden"])
    by_folder = walk_tasks(
        api, f"/team/{ws}/task", **{"project_ids[]": foldered["folder"]["id"]}, **EVERYTHING
    )
    assert set(ids(by_folder)) == {t["id"] for t in active if t["folder"]["id"] == foldered["folder"]["id"]}
    name = one["status"]["status"]
    by_status = walk_tasks(api, f"/team/{ws}/task", **{"statuses[]": name.upper()}, subtasks="true")
    assert set(ids(by_status)) == {
        t["id"] for t in active if t["status"]["status"] == name and t["status"]["type"] != "closed"
    }
    person = next(t for t in active if t["assignees"])["assignees"][0]["id"]
    by_person = walk_tasks(api, f"/team/{ws}/task", **{"assignees[]": person}, **EVERYTHING)
    assert set(ids(by_person)) == {t["id"] for t in active if person in [a["id"] for a in t["assignees"]]}
    tag = next(t for t in active if t["tags"])["tags"][0]["name"]
    by_tag = walk_tasks(api, f"/team/{ws}/task", **{"tags[]": tag}, **EVERYTHING)
    assert set(ids(by_tag)) == {t["id"] for t in active if tag in [x["name"] for x in t["tags"]]}
    bugs = walk_tasks(api, f"/team/{ws}/task", **{"custom_items[]": 1300}, **EVERYTHING)
    assert bugs and set(ids(bugs)) == {t["id"] for t in active if t["custom_item_id"] == 1300}


def test_parent_lists_one_tasks_subtasks(api, ws, team_tasks):
    active, _ = team_tasks
    parent = next(t["parent"] for t in active if t["parent"])
    children = walk_tasks(api, f"/team/{ws}/task", parent=parent, include_closed="true")
    assert set(ids(children)) == {t["id"] for t in active if t["parent"] == parent}
    detail = api.json(f"/task/{parent}", include_subtasks="true")
    assert {s["id"] for s in detail["subtasks"]} >= set(ids(children))


def test_list_endpoint_serves_home_tasks_and_added_ones_with_include_timl(api, ws):
    truth = api.sim.truth.tasks(ws)
    extra = next(t for t in truth if t["locations"] and not t["archived"] and t["status"]["type"] != "closed")
    other = extra["locations"][0]["id"]
    plain = walk_tasks(api, f"/list/{other}/task", **EVERYTHING)
    with_timl = walk_tasks(api, f"/list/{other}/task", include_timl="true", **EVERYTHING)
    assert extra["id"] not in ids(plain) and extra["id"] in ids(with_timl)
    assert all(t["list"]["id"] == other for t in plain)


def test_single_task_and_markdown_flag(api, ws, team_tasks):
    active, _ = team_tasks
    task = active[0]
    plain = api.json(f"/task/{task['id']}")
    assert "markdown_description" not in plain and "subtasks" not in plain
    assert api.json(f"/task/{task['id']}", include_markdown_description="true") == api.sim.truth.task(
        task["id"]
    )
    page = api.json(f"/team/{ws}/task", include_markdown_description="true")["tasks"]
    assert all("markdown_description" in t for t in page)


def test_past_the_end_and_bad_parameters(api, ws):
    assert api.json(f"/team/{ws}/task", page=10_000) == {"tasks": [], "last_page": True}
    assert api.get(f"/team/{ws}/task", page=-1).status_code == 400
    assert api.get(f"/team/{ws}/task", page="x").status_code == 400
    refused = api.get(f"/team/{ws}/task", custom_fields='[{"field_id":"x","operator":"=","value":1}]')
    assert refused.status_code == 400 and refused.json()["ECODE"] == "INPUT_005"


def test_time_spent_wherever_time_tracking_is_on(api, ws, team_tasks):
    active, archived = team_tasks
    spaces = api.sim.truth.spaces(ws)
    on = {s["id"] for s in spaces if s["features"]["time_tracking"].get("enabled")}
    assert on and len(on) < len(spaces)  # a time_tracking feature without `enabled` is off
    tracked: dict[str, int] = {}
    for e in api.sim.truth.time_entries(ws):
        if "end" in e:  # running timers count once they stop
            tracked[e["task"]["id"]] = tracked.get(e["task"]["id"], 0) + int(e["duration"])
    for task in active + archived:
        if task["space"]["id"] in on:
            assert task["time_spent"] == tracked.get(task["id"], 0)
        else:
            assert "time_spent" not in task
    untracked = next(t for t in active if t["space"]["id"] in on and t["id"] not in tracked)
    assert untracked["time_spent"] == 0
    assert api.json(f"/task/{untracked['id']}")["time_spent"] == 0
    in_list = walk_tasks(api, f"/list/{untracked['list']['id']}/task", **EVERYTHING)
    assert {t["id"]: t for t in in_list}[untracked["id"]]["time_spent"] == 0
    assert api.sim.truth.task(untracked["id"])["time_spent"] == 0
    off = next(t for t in active if t["space"]["id"] not in on)
    assert "time_spent" not in api.json(f"/task/{off['id']}")
