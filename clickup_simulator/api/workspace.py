"""Identity and workspace endpoints: user, teams, seats, plan, custom task types, roles, user groups,
shared hierarchy, members, views and templates (webhooks: `webhooks.api`)."""

from __future__ import annotations

from clickup_simulator.api import errors
from clickup_simulator.api.routing import Request, get
from clickup_simulator.generation.world import CUSTOM_ITEMS
from clickup_simulator.rendering import hierarchy as render_hierarchy


@get("/user")
def authorized_user(req: Request):
    return render_hierarchy.user(req.state, req.token)


@get("/team")
def authorized_teams(req: Request):
    world = req.state.world
    return {"teams": [render_hierarchy.team(req.state, world.workspaces[w]) for w in req.token.workspaces]}


@get("/team/{team_id}/seats")
def seats(req: Request, team_id: str):
    return render_hierarchy.seats(req.workspace(team_id))


@get("/team/{team_id}/plan")
def plan(req: Request, team_id: str):
    req.workspace(team_id)
    return render_hierarchy.plan(req.sim.limiter.limit)


@get("/team/{team_id}/custom_item")
def custom_items(req: Request, team_id: str):
    req.workspace(team_id)
    return {"custom_items": [dict(item) for item in CUSTOM_ITEMS]}


@get("/team/{team_id}/customroles")
def custom_roles(req: Request, team_id: str):
    req.workspace(team_id)
    return {"custom_roles": []}


@get("/team/{team_id}/shared")
def shared(req: Request, team_id: str):
    ws = req.workspace(team_id)
    lists = []
    if req.sim.access.role(req.token, ws.pos) == 4:
        lists = [
            render_hierarchy.list_item(req.state, lst)
            for lst in req.state.world.lists
            if lst.ws == ws.pos
            and not req.state.world.list_gone(lst)
            and req.sim.access.list_visible(req.token, lst)
        ]
    return {"shared": {"tasks": [], "lists": lists, "folders": []}}


@get("/group")
def user_groups(req: Request):
    team_id = req.one("team_id")
    if not team_id:
        raise errors.invalid_input("team_id is required")
    ws = req.workspace(team_id)
    wanted = set(req.many("group_ids"))
    return {
        "groups": [
            render_hierarchy.group(req.state, g, ws) for g in ws.groups if not wanted or g.id in wanted
        ]
    }


def _member(req: Request, team_id: str, user_id: str):
    ws = req.workspace(team_id)
    user = req.state.user_by_id.get(int(user_id)) if user_id.isdigit() else None
    member = ws.member(user.pos) if user else None
    if member is None:
        raise errors.not_found("User")
    return ws, member


@get("/team/{team_id}/user/{user_id}")
def workspace_user(req: Request, team_id: str, user_id: str):
    _, member = _member(req, team_id, user_id)
    out = render_hierarchy.member(req.state, member)
    if req.flag("include_shared", True):
        out["shared"] = {"tasks": [], "lists": [], "folders": []}
    return {"member": out}


@get("/team/{team_id}/guest/{guest_id}")
def guest(req: Request, team_id: str, guest_id: str):
    _, member = _member(req, team_id, guest_id)
    if member.role != 4:
        raise errors.not_found("Guest")
    out = render_hierarchy.member(req.state, member)
    out.update(
        {
            "can_see_time_spent": False,
            "can_see_time_estimated": True,
            "can_edit_tags": False,
            "can_create_views": False,
            "shared": {"tasks": [], "lists": [], "folders": []},
        }
    )
    return {"guest": out}


@get("/team/{team_id}/view")
def team_views(req: Request, team_id: str):
    req.workspace(team_id)
    return {"views": []}


@get("/space/{space_id}/view")
def space_views(req: Request, space_id: str):
    req.space(space_id)
    return {"views": []}


@get("/folder/{folder_id}/view")
def folder_views(req: Request, folder_id: str):
    req.folder(folder_id)
    return {"views": []}


@get("/list/{list_id}/view")
def list_views(req: Request, list_id: str):
    req.list(list_id)
    return {"views": []}


@get("/view/{view_id}")
def view(req: Request, view_id: str):
    raise errors.not_found("View")


@get("/view/{view_id}/task")
def view_tasks(req: Request, view_id: str):
    raise errors.not_found("View")


@get("/view/{view_id}/comment")
def view_comments(req: Request, view_id: str):
    raise errors.not_found("View")


@get("/team/{team_id}/taskTemplate")
def task_templates(req: Request, team_id: str):
    req.workspace(team_id)
    if req.integer("page", minimum=0) is None:
        raise errors.invalid_input("page is required")
    return {"templates": []}


@get("/team/{team_id}/list_template")
def list_templates(req: Request, team_id: str):
    req.workspace(team_id)
    return {"templates": []}


@get("/team/{team_id}/folder_template")
def folder_templates(req: Request, team_id: str):
    req.workspace(team_id)
    return {"templates": []}
