"""Comments (25 a call, start/start_id), replies, time entries (defaults, filters), time in status, goals."""

from __future__ import annotations

from sim_helpers import NOW_MS

DAY_MS = 86_400_000


def busiest_task(api, ws) -> str:
    state = api.sim.state
    counts = state.tasks.column("ncomments")
    index = max(api.sim.truth.task_indices(ws), key=lambda i: int(counts[i]))
    return state.task_id(index)


def test_comments_come_25_at_a_time_newest_first(api, ws):
    task = busiest_task(api, ws)
    everything = api.sim.truth.comments(task)
    assert len(everything) > 50
    seen, params = [], {}
    while True:
        page = api.json(f"/task/{task}/comment", **params)["comments"]
        seen += page
        if len(page) < 25:
            break
        params = {"start": page[-1]["date"], "start_id": page[-1]["id"]}
    assert seen == everything
    dates = [(int(c["date"]), int(c["id"])) for c in seen]
    assert dates == sorted(dates, reverse=True)
    assert all(isinstance(c["reply_count"], str) for c in seen)


def test_replies_of_a_threaded_comment(api, ws):
    threaded = next(c for _, _, c in api.sim.truth.all_comments(ws) if c["reply_count"] != "0")
    replies = api.json(f"/comment/{threaded['id']}/reply")["comments"]
    assert len(replies) == int(threaded["reply_count"]) and threaded["id"] not in [r["id"] for r in replies]
    assert replies == api.sim.truth.replies(threaded["id"])


def test_time_entries_default_to_the_last_30_days_of_the_caller(api, ws):
    own = api.json(f"/team/{ws}/time_entries")["data"]
    owner = api.sim.truth.user()["id"]
    assert own and all(e["user"]["id"] == owner for e in own)
    assert all(int(e["start"]) >= NOW_MS - 30 * DAY_MS for e in own)
    running = [e for e in own if "end" not in e]
    assert running and all(int(e["duration"]) < 0 for e in running)


def test_time_entries_of_everyone_over_years(api, ws):
    members = ",".join(str(m["user"]["id"]) for m in api.sim.truth.members(ws))
    everything = api.json(
        f"/team/{ws}/time_entries",
        start_date=0,
        end_date=NOW_MS,
        assignee=members,
        include_location_names="true",
        include_task_tags="true",
    )["data"]
    assert everything == api.sim.truth.time_entries(ws)
    starts = [int(e["start"]) for e in everything]
    assert starts == sorted(starts) and (max(starts) - min(starts)) > 365 * DAY_MS
    assert len({e["user"]["id"] for e in everything}) >= 4
    assert all("list_name" in e["task_location"] and "task_tags" in e for e in everything)
    plain = api.json(f"/team/{ws}/time_entries", start_date=0, assignee=members)["data"]
    assert all("list_name" not in e["task_location"] and "task_tags" not in e for e in plain)
    one = everything[0]
    by_task = api.json(f"/team/{ws}/time_entries", start_date=0, assignee=members, task_id=one["task"]["id"])
    assert {e["task"]["id"] for e in by_task["data"]} == {one["task"]["id"]}
    by_list = api.json(
        f"/team/{ws}/time_entries",
        start_date=0,
        assignee=members,
        list_id=str(one["task_location"]["list_id"]),
    )["data"]
    assert by_list and {e["task_location"]["list_id"] for e in by_list} == {one["task_location"]["list_id"]}
    assert api.json(f"/team/{ws}/time_entries/{one['id']}")["data"]["id"] == one["id"]
    window = api.json(
        f"/team/{ws}/time_entries", start_date=starts[10], end_date=starts[20], assignee=members
    )
    assert [e["id"] for e in window["data"]] == [
        e["id"] for e in everything if starts[10] <= int(e["start"]) <= starts[20]
    ]


def test_time_in_status_single_and_bulk(api, ws):
    ids = api.sim.truth.task_ids(ws)[:100]
    bulk = api.json("/task/bulk_time_in_status/task_ids", task_ids=ids)
    assert list(bulk) == ids
    single = api.json(f"/task/{ids[0]}/time_in_status")
    assert single == bulk[ids[0]] == api.sim.truth.time_in_status(ws)[ids[0]]
    task = api.sim.truth.task(ids[0])
    assert single["current_status"]["status"] == task["status"]["status"]
    history = single["status_history"]
    assert [h["orderindex"] for h in history] == sorted(h["orderindex"] for h in history)
    assert history[0]["total_time"]["since"] == task["date_created"]


def test_goals_list_without_key_results_and_detail_with_them(api, ws):
    listing = api.json(f"/team/{ws}/goal")
    with_completed = api.json(f"/team/{ws}/goal", include_completed="true")
    every = with_completed["goals"] + [g for f in with_completed["folders"] for g in f["goals"]]
    assert len(every) > len(listing["goals"]) + sum(len(f["goals"]) for f in listing["folders"])
    assert with_completed["folders"][0]["goals"]  # goals in a goal folder are listed only there
    assert all("key_results" not in g for g in every)
    details = [api.json(f"/goal/{g['id']}")["goal"] for g in every]
    assert sorted(details, key=lambda g: g["id"]) == sorted(api.sim.truth.goals(ws), key=lambda g: g["id"])
    assert all(d["key_results"] for d in details)
    assert {kr["type"] for d in details for kr in d["key_results"]} >= {"number", "currency", "boolean"}
