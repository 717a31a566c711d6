"""Discovering the workspaces each token reaches (`GET /team`) and picking the token for a workspace.

A workspace that several tokens reach is always synced with the same one: the first of
CLICKUP_API_TOKEN's tokens that reaches it. Every run of that workspace then holds the same token's
pool, so two runs can never load it at once through different tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from clickup_elt.clickup.client import ClickUpClient, token_fingerprint
from clickup_elt.clickup.errors import ClickUpAuthError


@dataclass(frozen=True)
class Workspace:
    id: str
    name: str | None
    fingerprint: str


@dataclass
class Discovery:
    """The workspaces found, and the tokens ClickUp refused (named by fingerprint, with the fix)."""

    workspaces: list[Workspace] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def discover(tokens: Sequence[str], api_url: str, allow: tuple[str, ...] = ()) -> Discovery:
    """Every workspace the tokens reach (the first token wins a shared one), filtered by `allow`.
    A token ClickUp refuses is reported and skipped, so the others still sync."""
    found = Discovery()
    seen: dict[str, Workspace] = {}
    for position, token in enumerate(tokens, start=1):
        client = ClickUpClient(token, api_url)
        try:
            teams = client.get("team", endpoint="GET /team", key="teams")["teams"] or []
        except ClickUpAuthError as exc:
            found.refused.append(
                f"token {token_fingerprint(token)} (number {position} of {len(tokens)} in "
                f"CLICKUP_API_TOKEN) was refused by ClickUp ({exc.ecode or exc.status}): replace it "
                f"with a valid token or remove it"
            )
            continue
        finally:
            client.close()
        for team in teams:
            ws = str(team["id"])
            if (not allow or ws in allow) and ws not in seen:
                seen[ws] = Workspace(ws, team.get("name"), token_fingerprint(token))
    found.workspaces = list(seen.values())
    if not found.workspaces and found.refused and len(found.refused) == len(tokens):
        raise ClickUpAuthError("; ".join(found.refused), status=401)
    return found


def token_for(tokens: Sequence[str], fingerprints: Iterable[str]) -> str | None:
    """The token a workspace is synced with: the first configured token among those reaching it."""
    reaching = set(fingerprints)
    return next((t for t in tokens if token_fingerprint(t) in reaching), None)


def fingerprint_for(tokens: Sequence[str], fingerprints: Iterable[str]) -> str | None:
    token = token_for(tokens, fingerprints)
    return token_fingerprint(token) if token else None
