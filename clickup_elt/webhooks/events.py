"""What one delivery tells: the changes it reports, each with a key that makes storing it idempotent.

A delivery names its webhook and one resource (`task_id`, `list_id`, `folder_id`, `space_id` or
`goal_id`). Update events carry `history_items[]`: one change each, keyed `webhook_id:item id`, the key
ClickUp documents. Create and delete events (and folder, space and goal updates) carry none: their key
is `webhook_id:event:resource id`.
"""

from __future__ import annotations

from dataclasses import dataclass

TASK = "task"
LIST, FOLDER, SPACE = "list", "folder", "space"
GOAL = "goal"
RESOURCES = (
    ("task_id", TASK),
    ("list_id", LIST),
    ("folder_id", FOLDER),
    ("space_id", SPACE),
    ("goal_id", GOAL),
)
TASK_DELETED = "taskDeleted"


class MalformedEvent(ValueError):
    """The body is not a ClickUp webhook delivery (no event, webhook or resource)."""


@dataclass(frozen=True)
class Event:
    key: str
    event: str
    resource_type: str
    resource_id: str
    history_item_id: str | None
    occurred_ms: int | None  # when ClickUp says the change happened (history items only)
    field: str | None = None  # what the history item changed: `status`, `comment`, `name`…

    @property
    def by_history_item(self) -> bool:
        return self.history_item_id is not None


def parse(payload: object) -> tuple[str, list[Event]]:
    """(webhook id, events) of a delivery's decoded body."""
    if not isinstance(payload, dict):
        raise MalformedEvent("the body is not a JSON object")
    webhook_id, name = payload.get("webhook_id"), payload.get("event")
    if not webhook_id or not name:
        raise MalformedEvent("the body has no `webhook_id` or `event`")
    resource = next(((kind, str(payload[field])) for field, kind in RESOURCES if payload.get(field)), None)
    if resource is None:
        raise MalformedEvent(f"the {name} event names no task, list, folder, space or goal")
    kind, resource_id = resource
    items = [
        item
        for item in payload.get("history_items") or []
        if isinstance(item, dict) and item.get("id") is not None
    ]
    if not items:
        return str(webhook_id), [
            Event(f"{webhook_id}:{name}:{resource_id}", name, kind, resource_id, None, None)
        ]
    return str(webhook_id), [
        Event(
            f"{webhook_id}:{item['id']}",
            name,
            kind,
            resource_id,
            str(item["id"]),
            _ms(item.get("date")),
            str(item["field"]) if item.get("field") else None,
        )
        for item in items
    ]


def _ms(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
