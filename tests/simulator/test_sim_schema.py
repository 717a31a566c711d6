"""Every read endpoint answers in the shape of ClickUp's official schema (after the listed relaxations)."""

from __future__ import annotations

import clickup_spec
import spec_relaxations
from sim_helpers import walk_tasks


def crawl(api, ws: str) -> set[str]:
    """Read every endpoint the simulator serves for one workspace; returns the operations seen."""
    seen = set()

    def get(path, **params):
        body = api.json(path, **params)
        seen.add(path)
        return body

    get("/user"), get("/team"), get("/group", team_id=ws)
    for sub in (
        "seats",
        "plan",
        "custom_item",
        "customroles",
        "shared",
        "view",
        "webhook",
        "list_template",
        "folder_template",
    ):
        get(f"/team/{ws}/{sub}")
    get(f"/team/{ws}/taskTemplate", page=0)
    get(f"/team/{ws}/field", include_applied_objects="true")
    owner = api.sim.truth.members(ws)[0]["user"]["id"]
    get(f"/team/{ws}/user/{owner}")
    for archived in ("false", "true"):
        for space in get(f"/team/{ws}/space", archived=archived)["spaces"]:
            sid = space["id"]
            (
                get(f"/space/{sid}"),
                get(f"/space/{sid}/tag"),
                get(f"/space/{sid}/field"),
                get(f"/space/{sid}/view"),
            )
            for folder_archived in ("false", "true"):
                for lst in get(f"/space/{sid}/list", archived=folder_archived)["lists"]:
                    get(f"/list/{lst['id']}")
                for folder in get(f"/space/{sid}/folder", archived=folder_archived)["folders"]:
                    fid = folder["id"]
                    get(f"/folder/{fid}", include_subfolders="true"), get(f"/folder/{fid}/field")
                    get(f"/folder/{fid}/view")
                    for lst in get(f"/folder/{fid}/list", archived="false")["lists"]:
                        lid = lst["id"]
                        get(f"/list/{lid}"), get(f"/list/{lid}/field", include_applied_objects="true")
                        get(f"/list/{lid}/member"), get(f"/list/{lid}/comment"), get(f"/list/{lid}/view")
                        walk_tasks(
                            api,
                            f"/list/{lid}/task",
                            include_closed="true",
                            subtasks="true",
                            include_timl="true",
                        )
    tasks = walk_tasks(
        api, f"/team/{ws}/task", include_closed="true", subtasks="true", include_markdown_description="true"
    )
    tasks += walk_tasks(api, f"/team/{ws}/task", include_closed="true", subtasks="true", archived="true")
    for task in tasks[:40]:
        tid = task["id"]
        get(f"/task/{tid}", include_subtasks="true", include_markdown_description="true")
        get(f"/task/{tid}/member"), get(f"/task/{tid}/time_in_status"), get(f"/task/{tid}/time")
        for comment in get(f"/task/{tid}/comment")["comments"]:
            if comment["reply_count"] != "0":
                get(f"/comment/{comment['id']}/reply")
    get("/task/bulk_time_in_status/task_ids", task_ids=[t["id"] for t in tasks[:100]])
    members = ",".join(str(m["user"]["id"]) for m in api.sim.truth.members(ws))
    entries = get(
        f"/team/{ws}/time_entries",
        start_date=0,
        assignee=members,
        include_location_names="true",
        include_task_tags="true",
    )["data"]
    (
        get(f"/team/{ws}/time_entries"),
        get(f"/team/{ws}/time_entries/current"),
        get(f"/team/{ws}/time_entries/tags"),
    )
    get(f"/team/{ws}/time_entries/{entries[0]['id']}", include_location_names="true")
    listing = get(f"/team/{ws}/goal", include_completed="true")
    for goal in listing["goals"] + [g for f in listing["folders"] for g in f["goals"]]:
        get(f"/goal/{goal['id']}")
    return seen


def test_every_200_answer_matches_the_relaxed_official_schema(api, ws):
    before = api.validated
    seen = crawl(api, ws)
    assert len(seen) > 100
    assert api.validated - before >= len(seen)  # the client validated each of them (it raises otherwise)


def test_each_relaxation_gives_a_reason_and_touches_a_real_operation():
    for relaxation in spec_relaxations.RELAXATIONS:
        assert len(relaxation.why) > 20
        if relaxation.operation != "*":
            assert clickup_spec.has_schema(relaxation.operation), relaxation.operation
            assert clickup_spec.relaxed_schema(relaxation.operation) != clickup_spec._resolve(
                clickup_spec._raw_schemas()[relaxation.operation]
            ), relaxation


def test_relaxations_do_not_accept_everything():
    bad_task = {"tasks": [{"id": 5, "name": None}]}
    assert clickup_spec.errors("GET /team/{team_id}/task", bad_task)
    assert clickup_spec.errors(
        "GET /team",
        {
            "teams": [
                {
                    "id": "1",
                    "name": "x",
                    "color": "#fff",
                    "avatar": None,
                    "members": [{"user": {"id": "not an int"}}],
                }
            ]
        },
    )
