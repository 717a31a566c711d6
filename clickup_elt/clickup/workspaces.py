"""Discovering the workspaces each token reaches (`GET /team`) and picking the token for a workspace."""

from __future__ import annotations

from dataclasses import dataclass

from clickup_elt.clickup.client import ClickUpClient, token_fingerprint


@dataclass(frozen=True)
class Workspace:
    id: str
    name: str | None
    fingerprint: str


def discover(tokens, api_url: str, allow: tuple[str, ...] = ()) -> list[Workspace]:
    """Every workspace the tokens reach (first token wins a shared one), filtered by `allow`."""
    found: dict[str, Workspace] = {}
    for token in tokens:
        client = ClickUpClient(token, api_url)
        try:
            for team in client.get("team", endpoint="GET /team").get("teams") or []:
                ws = str(team["id"])
                if (not allow or ws in allow) and ws not in found:
                    found[ws] = Workspace(ws, team.get("name"), token_fingerprint(token))
        finally:
            client.close()
    return list(found.values())


def token_for(tokens, fingerprints) -> str | None:
    by_fp = {token_fingerprint(t): t for t in tokens}
    return next((by_fp[fp] for fp in fingerprints if fp in by_fp), None)
