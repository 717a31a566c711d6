"""Reads of one object that may have vanished since it was listed.

A workspace changes while we read it: a task listed by the task walk can be deleted before its
comments are asked for, a list made private before its tasks are. ClickUp then answers 404 with an
`ITEM_*` / `PROJ_*` code (gone) or an `ACCESS_*` code (out of the token's reach). Such an answer
concerns that object only: the read is skipped, recorded in the load's `Findings` (so its stored rows
are kept and it is offered to the deletion check), and the rest of the load goes on. Anything else
(a revoked token, `OAUTH_*`, a route that does not exist) still fails the load.
"""

from __future__ import annotations

from typing import Any

from clickup_elt.clickup.client import ClickUpClient, Params
from clickup_elt.clickup.errors import ClickUpError
from clickup_elt.records import ACCESS_LOST, DELETED, Findings, Vanished

NOT_VANISHED_CODES = {"APP_001"}  # a route that does not exist: a bug, not a vanished object


def verdict(exc: ClickUpError) -> str | None:
    """DELETED or ACCESS_LOST when the error says the object asked for is gone or out of reach."""
    ecode = exc.ecode or ""
    if ecode.startswith("ACCESS"):
        return ACCESS_LOST
    if exc.status == 404 and ecode and ecode not in NOT_VANISHED_CODES:
        return DELETED
    return None


def read(
    client: ClickUpClient,
    findings: Findings,
    object_type: str,
    object_id: str,
    path: str,
    params: Params = None,
    *,
    endpoint: str,
    key: str | None = None,
) -> dict[str, Any] | None:
    """`client.get(...)`, or None (recorded in `findings`) when the object vanished."""
    try:
        return client.get(path, params, endpoint=endpoint, key=key)
    except ClickUpError as exc:
        found = verdict(exc)
        if found is None:
            raise
        findings.add(Vanished(object_type, str(object_id), found, f"{exc.status} {exc.ecode}", path))
        return None
