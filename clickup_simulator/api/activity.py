"""Activity endpoints: comments and replies, time entries, goals.

Time entries are not paginated; without dates they cover the last 30 days, without `assignee` only the
token owner's entries; only owners and admins may ask for other users' entries (401 `ACCESS_064`
otherwise); at most one of space_id / folder_id / list_id / task_id.
"""

from __future__ import annotations

import numpy as np

from clickup_simulator.api import errors
from clickup_simulator.api.routing import Request, get
from clickup_simulator.generation.ids import decode_time_entry
from clickup_simulator.rendering import goals as render_goals
from clickup_simulator.state.timeentries import RUNNING

DAY_MS = 86_400_000


@get("/task/{task_id}/comment")
def task_comments(req: Request, task_id: str):
    index = req.task(task_id)
    comments = req.sim.comments
    page = comments.page(index, req.integer("start"), req.one("start_id"))
    return {"comments": [comments.render(c) for c in page]}


@get("/list/{list_id}/comment")
def list_comments(req: Request, list_id: str):
    req.list(list_id)
    return {"comments": []}


@get("/comment/{comment_id}/reply")
def replies(req: Request, comment_id: str):
    comments = req.sim.comments
    record = comments.record(comment_id)
    if record is None:
        raise errors.not_found("Comment")
    req.task(req.state.task_id(record["task"]))
    return {"comments": [comments.render(r) for r in comments.replies(record)]}


def _entry_filters(req: Request, ws):
    state, access = req.state, req.sim.access
    locations = [
        (name, req.one(name)) for name in ("space_id", "folder_id", "list_id", "task_id") if req.one(name)
    ]
    if len(locations) > 1:
        raise errors.invalid_input("only one of space_id, folder_id, list_id and task_id may be given")
    mask = ~state.tasks.column("deleted")
    if locations:
        name, value = locations[0]
        lst_of = state.tasks.column("lst")
        world = state.world
        if name == "task_id":
            index = req.task(value)
            only = np.zeros(state.tasks.n, dtype=np.bool_)
            only[index] = True
            mask &= only
        else:
            pick = {
                "space_id": lambda x: world.spaces[x.space].id == value,
                "folder_id": lambda x: x.folder is not None and world.folders[x.folder].id == value,
                "list_id": lambda x: x.id == value,
            }[name]
            wanted = np.array([pick(x) for x in world.lists], dtype=np.bool_)
            mask &= wanted[lst_of]
    visible = access.task_mask(req.token, ws.pos)
    if visible is not None:
        mask &= visible
    return mask


def _assignees(req: Request, ws) -> set[int]:
    own = req.token.user
    value = req.one("assignee")
    if not value:
        return {own}
    wanted = set()
    for part in value.split(","):
        user = req.state.user_by_id.get(int(part)) if part.strip().isdigit() else None
        if user is not None and ws.member(user.pos) is not None:
            wanted.add(user.pos)
    if wanted - {own} and not req.sim.access.sees_everything(req.token, ws.pos):
        raise errors.time_entries_of_others()
    return wanted


@get("/team/{team_id}/time_entries")
def time_entries(req: Request, team_id: str):
    ws = req.workspace(team_id)
    now = req.sim.now_ms()
    end = req.integer("end_date")
    start = req.integer("start_date")
    end = now if end is None else end
    start = end - 30 * DAY_MS if start is None else start
    billable = None if req.one("is_billable") in (None, "") else req.flag("is_billable")
    entries = req.sim.entries
    found = entries.select(ws.pos, start, end, _assignees(req, ws), _entry_filters(req, ws), billable)
    names, tags = req.flag("include_location_names"), req.flag("include_task_tags")
    approval = req.flag("include_approval_history") or req.flag("include_approval_details")
    return {
        "data": [
            entries.render(int(k), req.state, req.sim.renderer, now, names, tags, approval) for k in found
        ]
    }


@get("/team/{team_id}/time_entries/current")
def running_entry(req: Request, team_id: str):
    ws = req.workspace(team_id)
    users = _assignees(req, ws)
    entries = req.sim.entries
    running = np.flatnonzero(
        (entries.column("ws") == ws.pos)
        & ~entries.column("deleted")
        & (entries.column("duration") == RUNNING)
        & np.isin(entries.column("user"), list(users))
    )
    visible = req.sim.access.task_mask(req.token, ws.pos)
    if visible is not None:
        running = running[visible[entries.column("task")[running]]]
    if not len(running):
        return {"data": None}
    entry = entries.render(int(running[-1]), req.state, req.sim.renderer, req.sim.now_ms(), False, False)
    entry["duration"] = int(entry["duration"])  # a number here, a string in lists (both as documented)
    return {"data": entry}


@get("/team/{team_id}/time_entries/tags")
def entry_tags(req: Request, team_id: str):
    ws = req.workspace(team_id)
    return {
        "data": [{"name": t.name, "tag_bg": t.bg, "tag_fg": t.fg, "creator": t.creator} for t in ws.te_tags]
    }


def _entry(req: Request, team_id: str, timer_id: str) -> tuple:
    ws = req.workspace(team_id)
    entries = req.sim.entries
    k = decode_time_entry(timer_id)
    if k is None or k >= entries.n or entries.column("deleted")[k] or int(entries.column("ws")[k]) != ws.pos:
        raise errors.not_found("Time entry")
    if int(entries.column("user")[k]) != req.token.user and not req.sim.access.sees_everything(
        req.token, ws.pos
    ):
        raise errors.time_entries_of_others()
    if not req.sim.access.task_visible(req.token, int(entries.column("task")[k])):
        raise errors.task_no_access()
    return ws, k


@get("/team/{team_id}/time_entries/{timer_id}")
def time_entry(req: Request, team_id: str, timer_id: str):
    _, k = _entry(req, team_id, timer_id)
    return {
        "data": req.sim.entries.render(
            k,
            req.state,
            req.sim.renderer,
            req.sim.now_ms(),
            req.flag("include_location_names"),
            req.flag("include_task_tags"),
        )
    }


@get("/team/{team_id}/time_entries/{timer_id}/history")
def time_entry_history(req: Request, team_id: str, timer_id: str):
    _entry(req, team_id, timer_id)
    return {"data": []}


@get("/task/{task_id}/time")
def tracked_time_legacy(req: Request, task_id: str):
    index = req.task(task_id)
    entries = req.sim.entries
    mine = np.flatnonzero(
        (entries.column("task") == index) & ~entries.column("deleted") & (entries.column("duration") >= 0)
    )
    by_user: dict[int, list[int]] = {}
    for k in mine.tolist():
        by_user.setdefault(int(entries.column("user")[k]), []).append(k)
    out = []
    for user, ks in by_user.items():
        intervals = [
            {
                "id": str(k),
                "start": str(int(entries.column("start")[k])),
                "end": str(int(entries.column("start")[k] + entries.column("duration")[k])),
                "time": str(int(entries.column("duration")[k])),
                "source": "clickup",
                "date_added": str(int(entries.column("at")[k])),
            }
            for k in ks
        ]
        out.append(
            {
                "user": req.state.user_full(user),
                "time": sum(int(i["time"]) for i in intervals),
                "intervals": intervals,
            }
        )
    return {"data": out}


@get("/team/{team_id}/goal")
def goals(req: Request, team_id: str):
    ws = req.workspace(team_id)
    return render_goals.goals_listing(req.state, ws, req.flag("include_completed"))


@get("/goal/{goal_id}")
def goal(req: Request, goal_id: str):
    g = req.state.goal_by_id.get(goal_id)
    if g is None or g.deleted:
        raise errors.not_found("Goal")
    if not req.sim.access.reaches(req.token, g.ws):
        raise errors.team_not_authorized()
    return {"goal": render_goals.goal_detail(req.state, g)}
