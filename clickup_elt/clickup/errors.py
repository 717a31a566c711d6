"""Errors the ClickUp client raises; messages name what to fix and never contain a token."""

from __future__ import annotations


class ClickUpError(RuntimeError):
    """ClickUp answered with an error we do not retry."""

    def __init__(
        self, message: str, *, status: int | None = None, ecode: str | None = None, path: str | None = None
    ):
        super().__init__(message)
        self.status = status
        self.ecode = ecode
        self.path = path


class ClickUpAuthError(ClickUpError):
    """401/403: the token is missing, wrong, revoked, or does not reach the workspace."""


class ClickUpNotFoundError(ClickUpError):
    """404 with a JSON body (ITEM_013 deleted task, PROJ_006 unknown space, ACCESS_* lost access…)."""


class ClickUpUnavailableError(ClickUpError):
    """Retries exhausted: 5xx, dropped connections, malformed bodies or rate limiting went on too long."""


def auth_message(
    status: int, ecode: str | None, err: str | None, path: str, workspace_id: str | None = None
) -> str:
    """A message a user can act on: which workspace, which code, which variable to set."""
    code = ecode or f"HTTP {status}"
    if ecode == "OAUTH_017":
        return f"ClickUp refused {path}: no token was sent ({code}): set CLICKUP_API_TOKEN"
    if ecode in {"OAUTH_023", "OAUTH_026", "OAUTH_027"} or (ecode or "").startswith("ACCESS"):
        where = f"workspace {workspace_id}" if workspace_id else path
        return (
            f"token is not authorized for {where} ({code}: {err or 'Team not authorized'}): "
            f"give the token access in ClickUp, or remove the workspace from CLICKUP_WORKSPACE_IDS"
        )
    where = f"for workspace {workspace_id} " if workspace_id else ""
    return (
        f"token {where}rejected by ClickUp ({code}: {err or 'unauthorized'}) on {path}: "
        f"set CLICKUP_API_TOKEN to a valid ClickUp API token"
    )
