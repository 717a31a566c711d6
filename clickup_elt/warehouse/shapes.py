"""The shapes of the records a load streams (top-level keys, and the custom field types of tasks and
custom fields), gathered as the rows go into COPY.

The schema-drift check compares them with the shapes earlier runs brought. Reading them back from
the stored jsonb instead would decompress every record of the run again: seconds for a full sync,
against milliseconds for looking at the dicts already in hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson

# entity -> the kinds of shape its records are watched for (every other entity: "key")
KINDS = {"tasks": ("key", "custom_field_type"), "custom_fields": ("key", "field_type")}


def kinds(entity: str) -> tuple[str, ...]:
    return KINDS.get(entity, ("key",))


def _text(value: Any) -> str | None:
    """A JSON value as Postgres' `->>` gives it: strings as they are, null as nothing."""
    if value is None or isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def _types(items: Any) -> Iterable[str | None]:
    if isinstance(items, list):
        return (_text(item.get("type")) for item in items if isinstance(item, dict))
    return ()


class Shapes:
    """The distinct shapes seen so far, per kind."""

    def __init__(self, entity: str) -> None:
        self.seen: dict[str, set[str | None]] = {kind: set() for kind in kinds(entity)}

    def add(self, record: Any) -> None:
        if not isinstance(record, dict):
            return
        self.seen["key"].update(record)
        if "custom_field_type" in self.seen:
            self.seen["custom_field_type"].update(_types(record.get("custom_fields")))
        if "field_type" in self.seen:
            self.seen["field_type"].add(_text(record.get("type")))

    def found(self) -> dict[str, frozenset[str]]:
        return {kind: frozenset(v for v in values if v is not None) for kind, values in self.seen.items()}


def merged(shapes: Iterable[Mapping[str, Iterable[str]]]) -> dict[str, set[str]]:
    """The union of several loads' shapes, per kind."""
    union: dict[str, set[str]] = {}
    for one in shapes:
        for kind, values in one.items():
            union.setdefault(kind, set()).update(values)
    return union
