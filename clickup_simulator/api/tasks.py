"""Task endpoints: the workspace and list task pages, a single task, task members, time in status.

Both task pages serve 100 tasks, `last_page` included, computed at request time (a change between two
page requests shifts rows exactly as it would on ClickUp); past the end: `{"tasks": [], "last_page": true}`.
The workspace endpoint leaves out tasks that live in archived lists, folders or spaces.
"""

from __future__ import annotations

from clickup_simulator.api import errors
from clickup_simulator.api.queries import ORDER_COLUMNS, PAGE_SIZE, RANGE_COLUMNS, TaskQuery
from clickup_simulator.api.routing import Raw, Request, get
from clickup_simulator.rendering import hierarchy as render_hierarchy
from clickup_simulator.rendering import jsonio
from clickup_simulator.state import timeinstatus

MAX_BULK_IDS = 100


def _ids_to_positions(ids, table) -> tuple:
    return tuple(sorted({table[i].pos if i in table else -1 for i in ids}))


def _users(req: Request, values) -> tuple:
    out = set()
    for value in values:
        user = req.state.user_by_id.get(int(value)) if value.lstrip("-").isdigit() else None
        out.add(user.pos if user else -1)
    return tuple(sorted(out))


def _query(req: Request, ws, list_pos=None) -> tuple[TaskQuery, bool, int]:
    if req.one("custom_fields") or req.one("custom_field"):
        raise errors.invalid_input("the simulator does not filter by custom field values")
    parent = req.one("parent")
    parent_index = None
    if parent:
        parent_index = req.state.task_index(parent)
        if parent_index is None:
            raise errors.task_not_found()
    ranges = []
    for name, column in RANGE_COLUMNS.items():
        for op in ("gt", "lt"):
            bound = req.integer(f"{name}_{op}")
            if bound is not None:
                ranges.append((column, op, bound))
    order_by = req.one("order_by") or "created"
    if order_by not in ORDER_COLUMNS:
        order_by = "created"
    state = req.state
    query = TaskQuery(
        ws=ws.pos,
        list_pos=list_pos,
        include_timl=req.flag("include_timl"),
        archived=req.flag("archived"),
        include_closed=req.flag("include_closed"),
        subtasks=req.flag("subtasks"),
        parent=parent_index,
        spaces=_ids_to_positions(req.many("space_ids"), state.space_by_id),
        folders=_ids_to_positions(req.many("project_ids"), state.folder_by_id),
        lists=_ids_to_positions(req.many("list_ids"), state.list_by_id),
        statuses=tuple(sorted({s.lower() for s in req.many("statuses")})),
        assignees=_users(req, req.many("assignees")),
        watchers=_users(req, req.many("watchers")) if list_pos is not None else (),
        tags=tuple(sorted({t.lower() for t in req.many("tags")})),
        custom_items=tuple(sorted({int(x) for x in req.many("custom_items") if x.lstrip("-").isdigit()})),
        ranges=tuple(ranges),
        order_by=order_by,
        visibility=req.sim.access.visibility_key(req.token, ws.pos),
    )
    return query, req.flag("reverse"), req.integer("page", 0, minimum=0)


def _page(req: Request, ws, list_pos=None) -> Raw:
    query, reverse, page = _query(req, ws, list_pos)
    ordered = req.sim.queries.run(query, reverse, req.sim.access.list_mask(req.token, ws.pos))
    start = page * PAGE_SIZE
    indices = ordered.slice(start, start + PAGE_SIZE)
    last = start + PAGE_SIZE >= ordered.total
    tasks = req.sim.renderer.page_json(indices, req.flag("include_markdown_description"))
    return Raw([b'{"tasks":[', tasks, b'],"last_page":true}' if last else b'],"last_page":false}'])


@get("/team/{team_id}/task")
def team_tasks(req: Request, team_id: str):
    return _page(req, req.workspace(team_id))


@get("/list/{list_id}/task")
def list_tasks(req: Request, list_id: str):
    lst = req.list(list_id)
    return _page(req, req.state.world.workspaces[lst.ws], lst.pos)


@get("/task/{task_id}")
def task(req: Request, task_id: str):
    index = req.task(task_id)
    data = req.sim.renderer.task_bytes(index, req.flag("include_markdown_description"))
    if not req.flag("include_subtasks"):
        return data
    out = jsonio.loads(data)
    t = req.state.tasks
    children = [
        i
        for i in (t.column("parent") == index).nonzero()[0].tolist()
        if not t.column("deleted")[i] and req.sim.access.task_visible(req.token, i)
    ]
    out["subtasks"] = [req.sim.renderer.render_subtask(i) for i in children]
    return out


@get("/task/{task_id}/member")
def task_members(req: Request, task_id: str):
    index = req.task(task_id)
    return {"members": render_hierarchy.people(req.state, req.state.tasks.assignees(index))}


def _tis_enabled(req: Request, index: int) -> None:
    if not req.state.ws_of_task(index).tis_enabled:
        raise errors.time_in_status_disabled()


@get("/task/{task_id}/time_in_status")
def time_in_status(req: Request, task_id: str):
    index = req.task(task_id)
    _tis_enabled(req, index)
    return timeinstatus.render(req.state, index, req.sim.now_ms())


@get("/task/bulk_time_in_status/task_ids")
def bulk_time_in_status(req: Request):
    ids = req.many("task_ids")
    if not ids or len(ids) > MAX_BULK_IDS:
        raise errors.invalid_input(f"task_ids must hold 1 to {MAX_BULK_IDS} task ids")
    state, access = req.state, req.sim.access
    found = []
    for task_id in dict.fromkeys(ids):
        index = state.task_index(task_id)
        if index is None or state.tasks.column("deleted")[index]:
            continue  # unknown and deleted tasks are left out of the answer
        if not access.reaches(req.token, int(state.tasks.column("ws")[index])):
            continue
        if not access.task_visible(req.token, index):
            continue
        _tis_enabled(req, index)
        found.append((task_id, index))
    now = req.sim.now_ms()
    return {task_id: timeinstatus.render(state, index, now) for task_id, index in found}
