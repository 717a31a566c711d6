"""History items, the body of ClickUp's update events: one change each, with a unique id (a long
numeric string for tasks, type 1; a UUID for lists, type 6), its date (ms, the simulated clock), the
field, the parent (a task's list, or the list itself), the acting user and, where the documented
payloads show them, `before` and `after`.

`task_items` turns two renderings of a task (before and after a change) into the items of every field
that changed; `events.SPECIFIC` names the event each item is also sent as."""

from __future__ import annotations

import threading

from clickup_simulator.generation.ids import uuid_from
from clickup_simulator.generation.mix import mix
from clickup_simulator.webhooks import shapes

TASK, LIST = 1, 6
MISSING = object()


class History:
    def __init__(self, state, seed: int):
        self.state, self.seed = state, seed
        self._lock = threading.Lock()
        self._count = 0
        self._base = 2_800_000_000_000_000_000 + mix(seed, 0x415) % 10**17

    def new_id(self, kind: int) -> str:
        with self._lock:
            self._count += 1
            n = self._count
        return str(self._base + n * 7) if kind == TASK else uuid_from(self.seed, 0x415, n)

    def item(
        self, kind, field, parent_id, user_pos, when, *, data=None, before=MISSING, after=MISSING, **extra
    ) -> dict:
        out = {
            "id": self.new_id(kind),
            "type": kind,
            "date": str(when),
            "field": field,
            "parent_id": parent_id,
            "data": data or {},
            "source": None,
            "user": shapes.user(self.state, user_pos),
        }
        if before is not MISSING:
            out["before"] = before
        if after is not MISSING:
            out["after"] = after
        out.update(extra)
        return out

    # -- tasks --------------------------------------------------------------------------------------
    def created(self, task: dict, user_pos: int) -> list[dict]:
        """`taskCreated`'s items: the first status (from "removed"), then the creation itself."""
        when, parent = int(task["date_created"]), task["list"]["id"]
        return [
            self.item(
                TASK,
                "status",
                parent,
                user_pos,
                when,
                data={"status_type": task["status"]["type"]},
                before=shapes.status(None),
                after=shapes.status(task["status"]),
            ),
            self.item(TASK, "task_creation", parent, user_pos, when, before=None, after=None),
        ]

    def task_items(self, before: dict, after: dict, user_pos: int) -> list[dict]:
        """An item for every field that differs between two renderings of one task."""
        state, seed = self.state, self.seed
        when, parent = int(after["date_updated"]), after["list"]["id"]

        def item(field, **kwargs):
            return self.item(TASK, field, parent, user_pos, when, **kwargs)

        items = []
        if before["list"]["id"] != parent:
            items.append(
                item(
                    "section_moved",
                    data={"mute_notifications": True},
                    before=shapes.location(state, before["list"]["id"]),
                    after=shapes.location(state, parent),
                )
            )
        if before["name"] != after["name"]:
            items.append(item("name", before=before["name"], after=after["name"]))
        if before["description"] != after["description"]:
            old, new = before["description"], after["description"]
            salt = int(when) ^ len(new)
            items.append(
                item(
                    "content",
                    before=shapes.delta(old, seed, salt - 1) if old else None,
                    after=shapes.delta(new, seed, salt),
                )
            )
        if shapes.status(before["status"]) != shapes.status(after["status"]):
            items.append(
                item(
                    "status",
                    data={"status_type": after["status"]["type"]},
                    before=shapes.status(before["status"]),
                    after=shapes.status(after["status"]),
                )
            )
        if before["priority"] != after["priority"]:
            items.append(
                item(
                    "priority",
                    before=shapes.priority(before["priority"]),
                    after=shapes.priority(after["priority"]),
                )
            )
        items += self._people(before, after, item)
        if before["due_date"] != after["due_date"]:
            data = {
                "due_date_time": after["due_date"] is not None,
                "old_due_date_time": before["due_date"] is not None,
            }
            items.append(item("due_date", data=data, before=before["due_date"], after=after["due_date"]))
        if before["start_date"] != after["start_date"]:
            items.append(item("start_date", before=before["start_date"], after=after["start_date"]))
        items += self._tags(before, after, item)
        if before["time_estimate"] != after["time_estimate"]:
            old, new = before["time_estimate"], after["time_estimate"]
            user_id = state.world.users[user_pos].id
            items.append(
                item(
                    "time_estimate",
                    data=shapes.time_estimate_data(old, new, user_id),
                    before=None if old is None else str(old),
                    after=None if new is None else str(new),
                )
            )
        if before.get("points") != after.get("points"):
            items.append(item("points", before=before.get("points"), after=after.get("points")))
        items += self._fields(before, after, item)
        for key in ("archived", "custom_item_id"):
            if before[key] != after[key]:
                items.append(item(key, before=before[key], after=after[key]))
        items += self._locations(before, after, item)
        return items

    @staticmethod
    def _people(before, after, item) -> list[dict]:
        old = {u["id"]: u for u in before["assignees"]}
        new = {u["id"]: u for u in after["assignees"]}
        added = [item("assignee_add", after=_person(new[k])) for k in new if k not in old]
        removed = [item("assignee_rem", before=_person(old[k])) for k in old if k not in new]
        return added + removed

    @staticmethod
    def _tags(before, after, item) -> list[dict]:
        old = {t["name"]: t for t in before["tags"]}
        new = {t["name"]: t for t in after["tags"]}
        added = [shapes.tag(t) for name, t in new.items() if name not in old]
        removed = [shapes.tag(t) for name, t in old.items() if name not in new]
        out = [item("tag", before=None, after=added)] if added else []
        return out + ([item("tag_removed", before=removed, after=None)] if removed else [])

    def _fields(self, before, after, item) -> list[dict]:
        old = {f["id"]: f for f in before.get("custom_fields") or []}
        out = []
        for f in after.get("custom_fields") or []:
            previous = old.get(f["id"])
            if previous is not None and previous.get("value") == f.get("value"):
                continue
            if previous is None and "value" not in f:
                continue
            definition = shapes.custom_field(self.state, f["id"])
            out.append(
                item(
                    "custom_field",
                    before=shapes.field_value(definition, previous),
                    after=shapes.field_value(definition, f),
                    custom_field=definition,
                )
            )
        return out

    @staticmethod
    def _locations(before, after, item) -> list[dict]:
        """Tasks in Multiple Lists: a list added to or removed from the task's other locations."""
        old = {loc["id"]: loc for loc in before.get("locations") or []}
        new = {loc["id"]: loc for loc in after.get("locations") or []}
        added = [item("list_added", before=None, after=new[k]) for k in new if k not in old]
        return added + [item("list_removed", before=old[k], after=None) for k in old if k not in new]


def _person(rendered: dict) -> dict:
    keys = ("id", "username", "email", "color", "initials", "profilePicture")
    return {k: rendered.get(k) for k in keys}
