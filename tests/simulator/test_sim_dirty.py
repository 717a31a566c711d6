"""Dirty strings (NUL, a lone UTF-16 surrogate from a cut emoji) stored and served as ClickUp serves
them: JSON escapes on the wire, the exact string after decoding, the exact string in the ground truth."""

from __future__ import annotations

import json

import pytest

NUL, CUT = "\u0000", "\ud83d"  # a NUL and the first half of an emoji
DIRTY = f"before{NUL}middle{CUT}after"


def served(api, path: str, **params) -> tuple[bytes, dict]:
    r = api.get(path, **params)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    return r.content, json.loads(r.content)


def assert_escaped(raw: bytes) -> None:
    assert b"\\u0000" in raw and b"\\ud83d" in raw
    raw.decode("utf-8")  # the escapes, never the raw characters (a raw surrogate is not UTF-8)


@pytest.fixture
def dirty(fresh):
    api = fresh(tasks=200)
    ws = api.sim.truth.workspace_ids()[0]
    task = next(
        t
        for t in api.sim.truth.tasks(ws)
        if any(f["type"] in ("text", "short_text") for f in t["custom_fields"])
    )
    return api, ws, task


def test_task_name_description_and_text_field(dirty):
    api, ws, task = dirty
    field = next(f for f in task["custom_fields"] if f["type"] in ("text", "short_text"))
    api.control("PATCH", f"/tasks/{task['id']}", {"name": DIRTY, "description": DIRTY})  # escapes in, too
    api.sim.update_task(task["id"], custom_fields={field["id"]: DIRTY})
    raw, body = served(api, f"/task/{task['id']}", include_markdown_description="true")
    assert_escaped(raw)
    assert body["name"] == body["description"] == body["text_content"] == DIRTY
    assert NUL in body["markdown_description"] and CUT in body["markdown_description"]
    assert {f["id"]: f for f in body["custom_fields"]}[field["id"]]["value"] == DIRTY
    assert body == api.sim.truth.task(task["id"])  # the truth holds the very strings
    assert api.sim.truth.task(task["id"])["name"] == DIRTY
    raw, page = served(
        api,
        f"/list/{task['list']['id']}/task",
        include_closed="true",
        subtasks="true",
        archived=str(task["archived"]).lower(),
    )
    assert_escaped(raw)
    assert {t["id"]: t for t in page["tasks"]}[task["id"]]["name"] == DIRTY


def test_comment_and_time_entry(dirty):
    api, ws, task = dirty
    comment = api.control("POST", f"/tasks/{task['id']}/comments", {"text": DIRTY})
    assert comment["comment_text"] == DIRTY
    raw, body = served(api, f"/task/{task['id']}/comment")
    assert_escaped(raw)
    assert body["comments"][0]["comment_text"] == DIRTY == body["comments"][0]["comment"][0]["text"]
    assert api.sim.truth.comments(task["id"])[0]["comment_text"] == DIRTY
    entry = api.sim.create_time_entry(task["id"], description=DIRTY)
    raw, body = served(api, f"/team/{ws}/time_entries/{entry['id']}")
    assert_escaped(raw)
    assert body["data"]["description"] == DIRTY
    assert {e["id"]: e for e in api.sim.truth.time_entries(ws)}[entry["id"]]["description"] == DIRTY


def test_list_and_folder_names(dirty):
    api, ws, task = dirty
    space = task["space"]["id"]
    folder = api.control("POST", "/folders", {"space_id": space, "name": DIRTY})
    lst = api.sim.create_list(folder["id"], DIRTY)
    raw, body = served(api, f"/folder/{folder['id']}")
    assert_escaped(raw)
    assert body["name"] == DIRTY and body["lists"][0]["name"] == DIRTY
    raw, body = served(api, f"/list/{lst['id']}")
    assert_escaped(raw)
    assert body["name"] == DIRTY
    made = api.sim.create_task(lst["id"], "In a dirty list")
    raw, body = served(api, f"/task/{made['id']}")
    assert_escaped(raw)
    assert body["list"]["name"] == DIRTY and body["folder"]["name"] == DIRTY
    assert {x["id"]: x for x in api.sim.truth.lists(ws)}[lst["id"]]["name"] == DIRTY
    assert {f["id"]: f for f in api.sim.truth.folders(ws)}[folder["id"]]["name"] == DIRTY


def test_control_api_takes_and_gives_escapes(dirty):
    api, ws, task = dirty
    body = json.dumps({"name": DIRTY}).encode()  # ASCII with \u0000 and \ud83d escapes
    r = api.session.patch(
        f"{api.server.control_url}/tasks/{task['id']}",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert r.status_code == 200 and b"\\ud83d" in r.content and json.loads(r.content)["name"] == DIRTY
