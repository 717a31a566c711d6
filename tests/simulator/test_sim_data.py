"""What the generator produces: the reference preset's exact shape, every custom field type in its
documented value shape, statuses, nesting, people, and determinism by seed."""

from __future__ import annotations

from collections import Counter

import pytest
import requests

from clickup_simulator import Simulator, SimulatorConfig
from clickup_simulator.generation.customfields import FIELD_TYPES
from sim_helpers import NOW_MS


def test_reference_preset_shape():
    sim = Simulator(SimulatorConfig(preset="reference", seed=1, now_ms=NOW_MS))
    (ws,) = sim.truth.workspace_ids()
    spaces, folders, lists = sim.truth.spaces(ws), sim.truth.folders(ws), sim.truth.lists(ws)
    tasks = sim.state.tasks
    assert (len(spaces), len(folders), len(lists)) == (10, 40, 200)
    assert sum(lst["archived"] for lst in lists) == 5
    assert tasks.n == 20_000
    assert int(tasks.archived.sum()) == 500 and int((tasks.parent >= 0).sum()) == 2_000
    assert int((tasks.stype == 3).sum()) == 3_000
    assert len(sim.truth.members(ws)) == 50


@pytest.fixture(scope="module")
def everything(shared_sim):
    sim, _ = shared_sim
    ws = sim.truth.workspace_ids()[0]
    return sim, ws, sim.truth.tasks(ws)


def test_every_custom_field_type_with_documented_value_shapes(everything):
    sim, ws, tasks = everything
    levels = Counter(level for level, _, _ in sim.truth.custom_fields(ws))
    assert set(levels) == {"workspace", "space", "folder", "list"}
    seen = {}
    for task in tasks:
        for field in task["custom_fields"]:
            if "value" in field:
                seen.setdefault(field["type"], []).append(field)
            else:
                assert set(field) == {
                    "id",
                    "name",
                    "type",
                    "type_config",
                    "date_created",
                    "hide_from_guests",
                    "required",
                }  # unset: no `value` key at all
    assert set(seen) == set(FIELD_TYPES)
    for field in seen["drop_down"]:
        assert field["value"] in [o["orderindex"] for o in field["type_config"]["options"]]
    for field in seen["labels"]:
        assert set(field["value"]) <= {o["id"] for o in field["type_config"]["options"]}
    assert all(isinstance(f["value"], str) and float(f["value"]) >= 0 for f in seen["number"])
    assert {f["value"] for f in seen["checkbox"]} == {"true", "false"}
    assert all(f["value"].isdigit() for f in seen["date"])
    assert all(0 <= f["value"] <= f["type_config"]["count"] for f in seen["emoji"])
    assert all(isinstance(u["id"], int) for f in seen["users"] for u in f["value"])
    assert all(set(f["value"]) == {"location", "place_id", "formatted_address"} for f in seen["location"])
    assert all(isinstance(f["value"], (int, float)) for f in seen["currency"] + seen["formula"])
    assert all(r["id"] and r["url"] for f in seen["tasks"] + seen["list_relationship"] for r in f["value"])
    assert all(isinstance(v, int) for f in seen["votes"] for v in f["value"])
    scoped = [f for level, _, f in sim.truth.custom_fields(ws) if f.get("applied_objects")]
    assert scoped and all(
        t["custom_item_id"] == 1300
        for t in tasks
        if any(f["id"] == scoped[0]["id"] for f in t["custom_fields"])
    )


def test_tasks_cover_statuses_nesting_and_relations(everything):
    sim, ws, tasks = everything
    assert {t["status"]["type"] for t in tasks} == {"open", "custom", "done", "closed"}
    by_id = {t["id"]: t for t in tasks}
    nested = [t for t in tasks if t["parent"] and by_id[t["parent"]]["parent"]]
    assert nested and all(
        t["top_level_parent"] == by_id[by_id[t["parent"]]["parent"]]["top_level_parent"]
        or t["top_level_parent"] == by_id[t["parent"]]["parent"]
        for t in nested
    )
    assert all(t["date_closed"] and t["date_done"] for t in tasks if t["status"]["type"] == "closed")
    assert all(t["date_done"] and not t["date_closed"] for t in tasks if t["status"]["type"] == "done")
    assert all(t["date_closed"] is None for t in tasks if t["status"]["type"] in ("open", "custom"))
    assert any(t["locations"] for t in tasks) and any(t["dependencies"] for t in tasks)
    assert any(t["linked_tasks"] for t in tasks) and any(t["checklists"] for t in tasks)
    assert any(t["tags"] for t in tasks) and any(t["priority"] for t in tasks)
    assert any(t["points"] is not None for t in tasks) and any(t["time_estimate"] for t in tasks)
    assert any("time_spent" in t for t in tasks) and any("time_spent" not in t for t in tasks)
    hidden = set(sim.truth.archived_list_ids(ws))
    assert any(t["list"]["id"] in hidden and not t["archived"] for t in tasks)
    assert any(t["folder"]["hidden"] and t["folder"]["name"] == "hidden" for t in tasks)
    created = [int(t["date_created"]) for t in tasks]
    assert max(created) - min(created) > 365 * 86_400_000 and max(created) < NOW_MS


def test_people_hierarchy_and_ids(everything):
    sim, ws, tasks = everything
    roles = Counter(m["user"]["role"] for m in sim.truth.members(ws))
    assert roles[1] == 1 and roles[2] >= 1 and roles[3] >= 1 and roles[4] >= 1
    invited = [m for m in sim.truth.members(ws) if m["user"]["username"] is None]
    assert invited and invited[0]["user"]["date_joined"] is None and "invited_by" in invited[0]
    assert sim.truth.groups(ws)
    folders = sim.truth.folders(ws)
    assert any("parent_folder" in f for f in folders) and any(f["archived"] for f in folders)
    assert any(s["archived"] for s in sim.truth.spaces(ws))
    assert ws.isdigit() and all(t["id"].isalnum() and not t["id"].isdigit() for t in tasks)
    assert all(isinstance(t["creator"]["id"], int) for t in tasks)
    assert all(len(f["id"]) == 36 for _, _, f in sim.truth.custom_fields(ws))


def _answers(sim) -> list[bytes]:
    server = sim.serve()
    try:
        ws = sim.truth.workspace_ids()[0]
        headers = {"Authorization": sim.config.token}
        task = sim.truth.task_ids(ws)[5]
        paths = [
            "/team",
            f"/team/{ws}/task?include_closed=true&subtasks=true",
            f"/team/{ws}/space",
            f"/task/{task}",
            f"/task/{task}/comment",
            f"/task/{task}/time_in_status",
            f"/team/{ws}/time_entries",
            f"/team/{ws}/goal",
        ]
        return [requests.get(server.url + p, headers=headers, timeout=30).content for p in paths]
    finally:
        server.stop()


def test_same_seed_and_clock_give_byte_identical_answers():
    first = _answers(Simulator(SimulatorConfig(seed=5, tasks=300, now_ms=NOW_MS)))
    second = _answers(Simulator(SimulatorConfig(seed=5, tasks=300, now_ms=NOW_MS)))
    other = _answers(Simulator(SimulatorConfig(seed=6, tasks=300, now_ms=NOW_MS)))
    assert first == second
    assert all(a != b for a, b in zip(first, other, strict=True))


def test_people_fields_of_a_large_workspace_are_drawn_per_task_alike_on_every_path():
    """500 members give people fields 2 × 500² possible values: too many to tabulate per field, so
    they are drawn per task; a task's values must not change when another of its fields does."""
    sim = Simulator(
        SimulatorConfig(
            seed=7, tasks=1500, lists=120, members=500, spaces=6, folders=30, rate_limit=0, now_ms=NOW_MS
        )
    )
    ws = sim.truth.workspace_ids()[0]
    members = {m["user"]["id"] for m in sim.truth.members(ws)}
    with_people = [
        t
        for t in sim.truth.tasks(ws)
        if any(f["type"] == "users" and f.get("value") for f in t["custom_fields"])
    ][:10]
    assert with_people
    for task in with_people:
        people = [f for f in task["custom_fields"] if f["type"] == "users" and f.get("value")]
        assert all({u["id"] for u in f["value"]} <= members for f in people)
        sim.update_task(task["id"], name=task["name"] + " (renamed)")
        assert sim.truth.task(task["id"])["custom_fields"] == task["custom_fields"]
