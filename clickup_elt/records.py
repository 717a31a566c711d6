"""What extractors hand to loads: raw rows, and what they learned about objects that vanished.

Neutral ground between the API side (`clickup/`) and the warehouse side (`warehouse/`): both import
from here, neither from the other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Verdicts about an object ClickUp no longer serves (clickup_raw.deletions.reason).
DELETED = "deleted"  # ClickUp answered 404 ITEM_* / PROJ_* for it
ACCESS_LOST = "access_lost"  # ACCESS_* errors: the object may exist, the token no longer sees it
MISSING = "missing_from_api"  # absent from a complete hierarchy listing


@dataclass(frozen=True)
class RawRow:
    """One API record and the ids it lacks; `id` is unique per workspace within its entity."""

    id: str
    data: dict
    parent_type: str | None = None
    parent_id: str | None = None
    partition_date: dt.date | None = None


@dataclass(frozen=True)
class Vanished:
    """An object that was listed, then answered 'not found' or 'no access' when read."""

    object_type: str  # task, list, folder, space, goal, comment, time_entry
    object_id: str
    verdict: str | None  # DELETED, ACCESS_LOST, or None when the answer did not say which
    reason: str  # what ClickUp answered, e.g. "404 ITEM_013"
    path: str | None = None  # the request that found it gone


@dataclass
class Findings:
    """What one load learned besides its rows: objects that vanished while it read them (their stored
    rows are kept and they are offered to the deletion check), and whether a fallback narrowed what
    it read (`only_user_id`: only this member's time entries were readable)."""

    vanished: list[Vanished] = field(default_factory=list)
    only_user_id: str | None = None

    def add(self, gone: Vanished) -> None:
        self.vanished.append(gone)

    def ids(self, *object_types: str) -> list[str]:
        return sorted({v.object_id for v in self.vanished if v.object_type in object_types})


@dataclass
class Reconciled:
    """What a confirmation of the records that left a load's scope found: records still served (stored
    wherever they now belong), verdicts for the gone ones (`{id: verdict}`, recorded as deletions with
    the last stored record as evidence), and ids left unconfirmed (kept as they are)."""

    rows: list[RawRow] = field(default_factory=list)
    verdicts: dict[str, str] = field(default_factory=dict)
    unconfirmed: set[str] = field(default_factory=set)
