"""Goals, goal folders and key results as `GET /team/{id}/goal` and `GET /goal/{id}` render them."""

from __future__ import annotations


def _member(state, pos: int, creator_id: int) -> dict:
    u = state.world.users[pos]
    return {
        "id": u.id,
        "username": u.username,
        "email": u.email,
        "color": u.color,
        "permission_level": "edit",
        "profilePicture": u.picture,
        "initials": u.initials,
        "isCreator": u.id == creator_id,
    }


def goal_item(state, g, in_folder: bool = False) -> dict:
    ws = state.world.workspaces[g.ws]
    out = {
        "id": g.id,
        "pretty_id": g.pretty_id,
        "name": g.name,
        "team_id": ws.id,
        "creator": g.creator,
        "owner": None,
        "color": g.color,
        "date_created": str(g.date_created),
        "start_date": None if g.start_date is None else str(g.start_date),
        "due_date": str(g.due_date),
        "description": g.description,
        "private": g.private,
        "archived": g.archived,
        "multiple_owners": len(g.owner_pos) > 1,
        "editor_token": f"goal:{g.id}:{g.date_updated}",
        "date_updated": str(g.date_updated),
        "last_update": str(g.date_updated),
        "folder_id": g.folder,
    }
    if in_folder:
        out["folder_access"] = True
    out.update(
        {
            "pinned": False,
            "owners": [state.user_full(p) for p in g.owner_pos],
            "key_result_count": len(g.key_results),
            "members": [_member(state, p, g.creator) for p in g.member_pos],
            "group_members": [],
            "percent_completed": g.percent_completed,
        }
    )
    return out


def key_result(state, g, kr) -> dict:
    percent = None
    if kr.steps_end:
        percent = round(100 * (kr.steps_current or 0) / kr.steps_end)
    return {
        "id": kr.id,
        "goal_id": g.id,
        "name": kr.name,
        "creator": kr.creator,
        "type": kr.type,
        "date_created": str(kr.date_created),
        "goal_pretty_id": g.pretty_id,
        "percent_completed": percent,
        "completed": percent == 100,
        "task_ids": [state.task_id(t) for t in kr.task_pos],
        "subcategory_ids": [state.world.lists[p].id for p in kr.list_pos],
        "owners": [state.user_full(p) for p in kr.owner_pos],
        "last_action": {
            "id": f"{kr.id}-a",
            "key_result_id": kr.id,
            "userid": kr.creator,
            "date_modified": str(kr.date_created),
            "steps_taken": kr.steps_current,
            "note": "Created Key Result",
            "steps_before": None,
            "steps_current": kr.steps_current,
        },
        "steps_start": kr.steps_start,
        "steps_end": kr.steps_end,
        "steps_current": kr.steps_current,
        "unit": kr.unit,
    }


def goal_detail(state, g) -> dict:
    out = goal_item(state, g, in_folder=g.folder is not None)
    out.update(
        {
            "key_results": [key_result(state, g, kr) for kr in g.key_results],
            "history": [],
            "pretty_url": f"https://app.clickup.com/{state.world.workspaces[g.ws].id}/goals/{g.pretty_id}",
        }
    )
    return out


def goals_listing(state, ws, include_completed: bool) -> dict:
    goals = [
        g
        for g in state.world.goals
        if g.ws == ws.pos and not g.deleted and (include_completed or g.percent_completed < 100)
    ]
    folders = []
    for f in state.world.goal_folders:
        if f.ws != ws.pos:
            continue
        inside = [goal_item(state, g, in_folder=True) for g in goals if g.folder == f.id]
        folders.append(
            {
                "id": f.id,
                "name": f.name,
                "team_id": ws.id,
                "private": True,
                "date_created": str(f.date_created),
                "creator": f.creator,
                "goal_count": len(inside),
                "members": [
                    {
                        "id": state.world.users[p].id,
                        "email": state.world.users[p].email,
                        "username": state.world.users[p].username,
                        "color": state.world.users[p].color,
                        "permission_level": "read",
                        "date_added": f.date_created,
                        "added_by": f.creator,
                        "initials": state.world.users[p].initials,
                        "profilePicture": state.world.users[p].picture,
                    }
                    for p in f.member_pos
                ],
                "goals": inside,
            }
        )
    return {"goals": [goal_item(state, g) for g in goals if g.folder is None], "folders": folders}
