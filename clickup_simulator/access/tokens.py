"""The tokens a simulator accepts: the primary one (`config.token`, owner of every workspace), an admin
token per workspace, the owner's shared tokens (`shared_tokens`: token k of n reaches workspaces k,
k + n, …), a member token and a guest token of the first workspace, and a valid token that reaches no
workspace at all."""

from __future__ import annotations

import hashlib


def token_fingerprint(token: str) -> str:
    """A short, non-reversible name for a token (`tok_` + 10 hex digits of its SHA-256): the name the
    pipeline's client gives it too, so request statistics and sync logs agree without showing tokens."""
    return "tok_" + hashlib.sha256(token.encode()).hexdigest()[:10]


class Tokens:
    def __init__(self, sim):
        self._sim = sim

    def _of(self, kind: str) -> list:
        return [t for t in self._sim.state.world.tokens if t.kind == kind]

    @property
    def primary(self) -> str:
        return self._sim.config.token

    def admin(self, workspace_id: str) -> str | None:
        ws = self._sim.workspace(workspace_id)
        return next((t.token for t in self._of("admin") if t.workspaces == (ws.pos,)), None)

    @property
    def shared(self) -> list[str]:
        """The owner's `shared_tokens`, each reaching every n-th workspace."""
        return [t.token for t in self._of("shared")]

    @property
    def member(self) -> str | None:
        return next((t.token for t in self._of("member")), None)

    @property
    def guest(self) -> str | None:
        return next((t.token for t in self._of("guest")), None)

    @property
    def nobody(self) -> str:
        return self._of("nobody")[0].token

    def info(self, token: str) -> dict:
        t = self._sim.state.token_by_value[token]
        world = self._sim.state.world
        return {
            "token": t.token,
            "fingerprint": token_fingerprint(t.token),
            "kind": t.kind,
            "user_id": world.users[t.user].id,
            "workspace_ids": [world.workspaces[w].id for w in t.workspaces],
        }

    def all(self) -> list[dict]:
        return [self.info(t.token) for t in self._sim.state.world.tokens]
