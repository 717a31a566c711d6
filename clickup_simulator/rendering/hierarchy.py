"""Workspaces, members, user groups, spaces, folders, lists, tags and field definitions as ClickUp
renders them. Pure functions of the state (and, for counts, its task columns)."""

from __future__ import annotations

import numpy as np

from clickup_simulator.generation import customfields
from clickup_simulator.generation.ids import uuid_from
from clickup_simulator.generation.world import ROLE_KEYS, STATUS_TYPES

PROFILE_INFO = {
    "display_profile": None,
    "verified_ambassador": None,
    "verified_consultant": None,
    "top_tier_user": None,
    "viewed_verified_ambassador": None,
    "viewed_verified_consultant": None,
    "viewed_top_tier_user": None,
}


def _ms(value: int | None) -> str | None:
    return None if value is None else str(value)


def user(state, token) -> dict:
    u = state.world.users[token.user]
    return {
        "user": {
            "id": u.id,
            "username": u.username,
            "email": u.email,
            "color": u.color,
            "profilePicture": u.picture,
            "initials": u.initials,
            "week_start_day": u.week_start_day,
            "global_font_support": False,
            "timezone": u.timezone,
        }
    }


def member(state, m) -> dict:
    u = m.user
    out = {
        "user": {
            "id": u.id,
            "username": u.username,
            "email": u.email,
            "color": u.color,
            "profilePicture": u.picture,
            "initials": u.initials,
            "role": m.role,
            "role_subtype": 0,
            "role_key": ROLE_KEYS[m.role],
            "custom_role": None,
            "last_active": _ms(m.last_active),
            "date_joined": _ms(m.date_joined),
            "date_invited": _ms(m.date_invited),
        }
    }
    if m.invited_by is not None:
        i = m.invited_by
        out["invited_by"] = {
            "id": i.id,
            "username": i.username,
            "color": i.color,
            "email": i.email,
            "initials": i.initials,
            "profilePicture": i.picture,
            "banned_date": None,
            "status": "active",
        }
    return out


def team(state, ws) -> dict:
    return {
        "id": ws.id,
        "name": ws.name,
        "color": ws.color,
        "avatar": None,
        "members": [member(state, m) for m in ws.members],
    }


def group(state, g, ws) -> dict:
    return {
        "id": g.id,
        "team_id": ws.id,
        "userid": g.creator,
        "name": g.name,
        "handle": g.handle,
        "date_created": str(g.date_created),
        "initials": "".join(w[0] for w in g.name.split()[:2]).upper(),
        "members": [state.user_full(p) for p in g.member_pos],
        "avatar": {"attachment_id": None, "color": None, "source": None, "icon": None},
    }


def statuses(items) -> list[dict]:
    return [
        {
            "id": s.id,
            "status": s.status,
            "type": STATUS_TYPES[s.type],
            "orderindex": s.orderindex,
            "color": s.color,
        }
        for s in items
    ]


def space(state, s) -> dict:
    out = {
        "id": s.id,
        "name": s.name,
        "color": s.color,
        "private": s.private,
        "avatar": None,
        "admin_can_manage": s.admin_can_manage,
        "archived": s.archived,
    }
    if s.private:
        out["members"] = [
            {"user": {k: v for k, v in state.user_full(p).items() if k != "email"}} for p in s.member_pos
        ]
    out.update(
        {"statuses": statuses(s.statuses), "multiple_assignees": s.multiple_assignees, "features": s.features}
    )
    return out


def task_counts(state) -> np.ndarray:
    """Tasks per list (home list, not deleted, not archived, subtasks and closed ones included)."""
    cached = getattr(state, "_task_counts", None)
    if cached is not None and cached[0] == state.version:
        return cached[1]
    t = state.tasks
    live = ~t.column("deleted") & ~t.column("archived")
    counts = np.bincount(t.column("lst")[live], minlength=len(state.world.lists))
    state._task_counts = (state.version, counts)
    return counts


def list_item(state, lst, with_folder: bool = True) -> dict:
    world = state.world
    sp = world.spaces[lst.space]
    out = {
        "id": lst.id,
        "name": lst.name,
        "orderindex": lst.orderindex,
        "content": lst.content,
        "status": lst.status,
        "priority": lst.priority,
        "assignee": None,
        "task_count": int(task_counts(state)[lst.pos]),
        "due_date": _ms(lst.due_date),
        "start_date": _ms(lst.start_date),
    }
    if with_folder:
        if lst.folder is None:
            out["folder"] = {"id": sp.hidden_folder_id, "name": "hidden", "hidden": True, "access": True}
        else:
            f = world.folders[lst.folder]
            out["folder"] = {"id": f.id, "name": f.name, "hidden": False, "access": True}
    out.update(
        {
            "space": {"id": sp.id, "name": sp.name, "access": True},
            "archived": lst.archived,
            "override_statuses": lst.override_statuses,
            "permission_level": "create",
        }
    )
    return out


def list_detail(state, lst) -> dict:
    out = list_item(state, lst)
    group = f"subcat_{lst.id}" if lst.override_statuses else f"proj_{state.world.spaces[lst.space].id}"
    out.update(
        {
            "deleted": False,
            "due_date_time": False,
            "start_date_time": None,
            "inbound_address": f"a.t.{lst.id}.{uuid_from(state.seed, int(lst.id))[:8]}@tasks.clickup.com",
            "statuses": [
                {
                    "id": s.id,
                    "status": s.status,
                    "orderindex": s.orderindex,
                    "color": s.color,
                    "type": STATUS_TYPES[s.type],
                    "status_group": group,
                }
                for s in lst.statuses
            ],
        }
    )
    return out


def folder(state, f, token, access, include_subfolders: bool = False) -> dict:
    world = state.world
    sp = world.spaces[f.space]
    lists = [
        lst
        for lst in world.lists
        if lst.folder == f.pos and not lst.deleted and not lst.archived and access.list_visible(token, lst)
    ]
    counts = task_counts(state)
    out = {
        "id": f.id,
        "name": f.name,
        "orderindex": f.orderindex,
        "override_statuses": False,
        "hidden": False,
        "space": {"id": sp.id, "name": sp.name, "access": True},
        "task_count": str(int(sum(counts[lst.pos] for lst in lists))),
        "archived": f.archived,
        "statuses": statuses(sp.statuses),
        "lists": [list_item(state, lst, with_folder=False) for lst in lists],
        "permission_level": "create",
    }
    if f.parent is not None:
        out["parent_folder"] = world.folders[f.parent].id
    if include_subfolders:
        out["folders"] = [
            {"id": c.id}
            for c in world.folders
            if c.parent == f.pos and not c.deleted and access.folder_visible(token, c)
        ]
    return out


def tags(space_) -> list[dict]:
    return [{"name": t.name, "tag_fg": t.fg, "tag_bg": t.bg, "creator": t.creator} for t in space_.tags]


def fields(items, applied_objects: bool) -> list[dict]:
    return [customfields.definition(f, applied_objects) for f in items]


def seats(ws) -> dict:
    members = sum(1 for m in ws.members if m.role != 4)
    guests = sum(1 for m in ws.members if m.role == 4)
    total = max(members, 10)
    return {
        "members": {
            "filled_members_seats": members,
            "total_member_seats": total,
            "empty_member_seats": total - members,
        },
        "guests": {"filled_guest_seats": guests, "total_guest_seats": 50, "empty_guest_seats": 50 - guests},
    }


def plan(rate_limit: int) -> dict:
    if rate_limit == 0 or rate_limit >= 10_000:
        return {"plan_name": "Enterprise", "plan_id": 4}
    if rate_limit >= 1_000:
        return {"plan_name": "Business Plus", "plan_id": 3}
    return {"plan_name": "Business", "plan_id": 2}


def people(state, positions) -> list[dict]:
    return [{**state.user_full(p), "profileInfo": dict(PROFILE_INFO)} for p in positions]
