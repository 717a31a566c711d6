"""Workspace-level entities: the workspace and its members (one `GET /team`), user groups,
custom field definitions and space tags."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from clickup_elt.clickup import vanished
from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.errors import ClickUpAuthError
from clickup_elt.records import Findings, RawRow


def team(client: ClickUpClient, workspace_id: str) -> dict:
    """The workspace's entry of `GET /team` (which lists every workspace the token reaches)."""
    for entry in client.get("team", endpoint="GET /team", key="teams")["teams"] or []:
        if str(entry.get("id")) == str(workspace_id):
            return entry
    raise ClickUpAuthError(
        f"workspace {workspace_id} is not among the workspaces this token reaches (GET /team): "
        f"check CLICKUP_API_TOKEN and CLICKUP_WORKSPACE_IDS",
        status=401,
        ecode="OAUTH_027",
    )


def workspace_rows(entry: dict, workspace_id: str) -> Iterator[RawRow]:
    yield RawRow(id=str(workspace_id), data=entry)


def member_rows(entry: dict, workspace_id: str) -> Iterator[RawRow]:
    for member in entry.get("members") or []:
        user = member.get("user") or {}
        if user.get("id") is not None:
            yield RawRow(
                id=str(user["id"]), data=member, parent_type="workspace", parent_id=str(workspace_id)
            )


def user_groups(client: ClickUpClient, workspace_id: str) -> Iterator[RawRow]:
    payload = client.get("group", {"team_id": workspace_id}, endpoint="GET /group", key="groups")
    for group in payload["groups"] or []:
        yield RawRow(id=str(group["id"]), data=group, parent_type="workspace", parent_id=str(workspace_id))


def custom_fields(
    client: ClickUpClient,
    workspace_id: str,
    space_ids: Iterable[str],
    folder_ids: Iterable[str],
    list_ids: Iterable[str],
    findings: Findings,
) -> Iterator[RawRow]:
    """Field definitions tied to the level that created them.

    The workspace, space and folder endpoints return only their own fields; the list endpoint returns
    every field usable in the list, so a list's own fields are those no higher level returned. A
    space, folder or list that vanished meanwhile is skipped (its fields stay as stored).
    """
    seen: set[str] = set()
    levels = [
        ("workspace", [workspace_id], "team/{}/field", "GET /team/{team_id}/field"),
        ("space", space_ids, "space/{}/field", "GET /space/{space_id}/field"),
        ("folder", folder_ids, "folder/{}/field", "GET /folder/{folder_id}/field"),
        ("list", list_ids, "list/{}/field", "GET /list/{list_id}/field"),
    ]
    for level, ids, path, endpoint in levels:
        for object_id in ids:
            params = {"include_applied_objects": "true"}
            payload: dict[str, Any] | None
            if level == "workspace":
                payload = client.get(path.format(object_id), params, endpoint=endpoint, key="fields")
            else:
                payload = vanished.read(
                    client,
                    findings,
                    level,
                    object_id,
                    path.format(object_id),
                    params,
                    endpoint=endpoint,
                    key="fields",
                )
            for field in (payload or {}).get("fields") or []:
                if str(field["id"]) in seen:
                    continue
                seen.add(str(field["id"]))
                yield RawRow(id=str(field["id"]), data=field, parent_type=level, parent_id=str(object_id))


def tag_id(space_id: str, name: str) -> str:
    """Tags have no id, only a name unique within their space: `<space id>:<name>`."""
    return f"{space_id}:{name}"


def tags(client: ClickUpClient, space_ids: Iterable[str], findings: Findings) -> Iterator[RawRow]:
    for space_id in space_ids:
        payload = vanished.read(
            client,
            findings,
            "space",
            space_id,
            f"space/{space_id}/tag",
            endpoint="GET /space/{space_id}/tag",
            key="tags",
        )
        for tag in (payload or {}).get("tags") or []:
            yield RawRow(
                id=tag_id(str(space_id), tag["name"]), data=tag, parent_type="space", parent_id=str(space_id)
            )
