"""Hierarchy endpoints: spaces, folders (with their lists), lists, tags, field definitions, list members.

`archived=true` returns only archived items, `archived=false` (or none) only active ones; objects under
a deleted parent are gone; each answer holds only what the token may see.
"""

from __future__ import annotations

from clickup_simulator.api.routing import Request, get
from clickup_simulator.rendering import hierarchy as render_hierarchy


@get("/team/{team_id}/space")
def spaces(req: Request, team_id: str):
    ws = req.workspace(team_id)
    archived = req.flag("archived")
    return {
        "spaces": [
            render_hierarchy.space(req.state, s)
            for s in req.state.world.spaces
            if s.ws == ws.pos
            and not s.deleted
            and s.archived == archived
            and req.sim.access.space_visible(req.token, s)
        ]
    }


@get("/space/{space_id}")
def space(req: Request, space_id: str):
    return render_hierarchy.space(req.state, req.space(space_id))


@get("/space/{space_id}/folder")
def folders(req: Request, space_id: str):
    sp = req.space(space_id)
    archived = req.flag("archived")
    truth, access = req.sim.truth, req.sim.access
    return {
        "folders": [
            render_hierarchy.folder(req.state, f, req.token, access)
            for f in req.state.world.folders
            if f.space == sp.pos
            and not truth._folder_gone(f)
            and f.archived == archived
            and access.folder_visible(req.token, f)
        ]
    }


@get("/folder/{folder_id}")
def folder(req: Request, folder_id: str):
    f = req.folder(folder_id)
    return render_hierarchy.folder(
        req.state, f, req.token, req.sim.access, include_subfolders=req.flag("include_subfolders")
    )


def _lists(req: Request, space_pos: int, folder_pos):
    archived = req.flag("archived")
    world = req.state.world
    return {
        "lists": [
            render_hierarchy.list_item(req.state, lst)
            for lst in world.lists
            if lst.space == space_pos
            and lst.folder == folder_pos
            and not world.list_gone(lst)
            and lst.archived == archived
            and req.sim.access.list_visible(req.token, lst)
        ]
    }


@get("/folder/{folder_id}/list")
def folder_lists(req: Request, folder_id: str):
    f = req.folder(folder_id)
    return _lists(req, f.space, f.pos)


@get("/space/{space_id}/list")
def folderless_lists(req: Request, space_id: str):
    return _lists(req, req.space(space_id).pos, None)


@get("/list/{list_id}")
def list_(req: Request, list_id: str):
    return render_hierarchy.list_detail(req.state, req.list(list_id))


@get("/list/{list_id}/member")
def list_members(req: Request, list_id: str):
    return {"members": render_hierarchy.people(req.state, req.list(list_id).guest_pos)}


@get("/space/{space_id}/tag")
def space_tags(req: Request, space_id: str):
    return {"tags": render_hierarchy.tags(req.space(space_id))}


def _fields(req: Request, chosen):
    if chosen and req.sim.access.role(req.token, chosen[0].ws) == 4:
        chosen = [f for f in chosen if not f.hide_from_guests]
    return {"fields": render_hierarchy.fields(chosen, req.flag("include_applied_objects"))}


@get("/list/{list_id}/field")
def list_fields(req: Request, list_id: str):
    return _fields(req, req.state.world.fields_for_list(req.list(list_id)))


@get("/folder/{folder_id}/field")
def folder_fields(req: Request, folder_id: str):
    f = req.folder(folder_id)
    return _fields(req, [x for x in req.state.world.fields if x.level == "folder" and x.owner == f.pos])


@get("/space/{space_id}/field")
def space_fields(req: Request, space_id: str):
    sp = req.space(space_id)
    return _fields(req, [x for x in req.state.world.fields if x.level == "space" and x.owner == sp.pos])


@get("/team/{team_id}/field")
def team_fields(req: Request, team_id: str):
    ws = req.workspace(team_id)
    return _fields(req, [x for x in req.state.world.fields if x.level == "workspace" and x.owner == ws.pos])
