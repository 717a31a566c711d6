"""Spaces, folders and lists: small unpaginated reads, each asked for active and archived items.

`archived=true` returns only archived items, so a complete copy asks both ways. A space or folder
that vanished since it was listed is skipped (noted in `findings`): its children stay as stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from clickup_elt.clickup import vanished
from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.records import Findings, RawRow

BOTH = ("false", "true")


def _both_ways(
    client: ClickUpClient,
    path: str,
    key: str,
    endpoint: str,
    findings: Findings | None = None,
    parent: tuple[str, str] | None = None,
) -> Iterator[dict]:
    """Active then archived items of a listing; nothing when its parent (type, id) vanished."""
    pages = []
    for archived in BOTH:
        payload: dict[str, Any] | None
        if parent is None or findings is None:  # a workspace's spaces: nothing above them vanishes
            payload = client.get(path, {"archived": archived}, endpoint=endpoint, key=key)
        else:
            payload = vanished.read(
                client, findings, *parent, path, {"archived": archived}, endpoint=endpoint, key=key
            )
            if payload is None:
                return
        pages.append(payload[key] or [])
    seen: set[str] = set()
    for item in (item for page in pages for item in page):
        if str(item["id"]) not in seen:
            seen.add(str(item["id"]))
            yield item


def spaces(client: ClickUpClient, workspace_id: str) -> Iterator[RawRow]:
    for space in _both_ways(client, f"team/{workspace_id}/space", "spaces", "GET /team/{team_id}/space"):
        yield RawRow(id=str(space["id"]), data=space, parent_type="workspace", parent_id=workspace_id)


def folders(client: ClickUpClient, space_ids: Iterable[str], findings: Findings) -> Iterator[RawRow]:
    for space_id in space_ids:
        for folder in _both_ways(
            client,
            f"space/{space_id}/folder",
            "folders",
            "GET /space/{space_id}/folder",
            findings,
            ("space", space_id),
        ):
            parent = folder.get("parent_folder")
            parent_id = str(parent["id"] if isinstance(parent, dict) else parent) if parent else None
            yield RawRow(
                id=str(folder["id"]),
                data=folder,
                parent_type="folder" if parent_id else "space",
                parent_id=parent_id or str(space_id),
            )


def lists(
    client: ClickUpClient, space_ids: Iterable[str], folder_ids: Iterable[str], findings: Findings
) -> Iterator[RawRow]:
    """Folderless lists of each space, then the lists of each folder."""
    for space_id in space_ids:
        for lst in _both_ways(
            client,
            f"space/{space_id}/list",
            "lists",
            "GET /space/{space_id}/list",
            findings,
            ("space", space_id),
        ):
            yield RawRow(id=str(lst["id"]), data=lst, parent_type="space", parent_id=str(space_id))
    for folder_id in folder_ids:
        for lst in _both_ways(
            client,
            f"folder/{folder_id}/list",
            "lists",
            "GET /folder/{folder_id}/list",
            findings,
            ("folder", folder_id),
        ):
            yield RawRow(id=str(lst["id"]), data=lst, parent_type="folder", parent_id=str(folder_id))
