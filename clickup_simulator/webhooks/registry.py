"""Registered webhooks and their health, as ClickUp keeps them: each belongs to the user whose token
created it, watches one workspace (optionally one space, folder, list or task: the most specific one
given wins), and carries the secret its deliveries are signed with.

Health follows ClickUp's rules: an event that could not be delivered after every attempt adds one to
`fail_count` and marks the webhook `failing`; a delivered event makes it `active` again with a count
of 0; a count of 100, or an answer of 401 or 410, makes it `suspended`, and nothing more is sent until
`PUT /webhook/{id}` sets `status: active`. Ids and secrets derive from the seed, so runs repeat.
"""

from __future__ import annotations

import string
import threading
from dataclasses import dataclass, field

from clickup_simulator.generation.ids import uuid_from
from clickup_simulator.generation.mix import mix

ACTIVE, FAILING, SUSPENDED = "active", "failing", "suspended"
FAIL_LIMIT = 100
LOCATIONS = ("task_id", "list_id", "folder_id", "space_id")  # most specific first
_ALPHABET = string.ascii_uppercase + string.digits


class DuplicateWebhook(ValueError):
    """The user already has a webhook with this endpoint and location."""


def _code(length: int, *parts: int) -> str:
    return "".join(_ALPHABET[mix(*parts, k) % len(_ALPHABET)] for k in range(length))


@dataclass
class Webhook:
    id: str
    ws: int
    team_id: str
    user_pos: int
    user_id: int
    token: str
    endpoint: str
    client_id: str
    events: list[str]
    secret: str
    location: dict = field(default_factory=lambda: dict.fromkeys(LOCATIONS))
    status: str = ACTIVE
    fail_count: int = 0

    @property
    def target(self) -> tuple[str, str] | None:
        """(kind, id) of the location the webhook watches, the most specific one; None: everything."""
        for key in LOCATIONS:
            if self.location.get(key) is not None:
                return key[: -len("_id")], self.location[key]
        return None

    @property
    def receiving(self) -> bool:
        return self.status != SUSPENDED

    def key(self) -> tuple:
        return (self.user_pos, self.ws, self.endpoint, *(self.location[k] for k in LOCATIONS))

    def render(self) -> dict:
        """The webhook object of `GET /team/{id}/webhook` and of the create and update answers."""
        return {
            "id": self.id,
            "userid": self.user_id,
            "team_id": int(self.team_id),
            "endpoint": self.endpoint,
            "client_id": self.client_id,
            "events": list(self.events),
            "task_id": self.location["task_id"],
            "list_id": self.location["list_id"],
            "folder_id": self.location["folder_id"],
            "space_id": self.location["space_id"],
            "health": {"status": self.status, "fail_count": self.fail_count},
            "secret": self.secret,
        }


class Registry:
    def __init__(self, seed: int):
        self._seed = seed
        self._lock = threading.Lock()
        self._hooks: dict[str, Webhook] = {}
        self._made = 0

    # -- registration -------------------------------------------------------------------------------
    def create(self, ws, user, token: str, endpoint: str, events: list[str], location: dict) -> Webhook:
        with self._lock:
            self._made += 1
            n = self._made
            hook = Webhook(
                id=uuid_from(self._seed, 0x3EB, n),
                ws=ws.pos,
                team_id=ws.id,
                user_pos=user.pos,
                user_id=user.id,
                token=token,
                endpoint=endpoint,
                client_id=_code(32, self._seed, 0xC11E, user.id),
                events=list(events),
                secret=_code(64, self._seed, 0x5EC, n),
                location={k: location.get(k) for k in LOCATIONS},
            )
            if any(h.key() == hook.key() for h in self._hooks.values()):
                raise DuplicateWebhook("Webhook configuration already exists")
            self._hooks[hook.id] = hook
            return hook

    def update(self, hook_id: str, endpoint=None, events=None, status=None) -> Webhook:
        with self._lock:
            hook = self._hooks[hook_id]
            if endpoint is not None and endpoint != hook.endpoint:
                moved = (hook.user_pos, hook.ws, endpoint, *(hook.location[k] for k in LOCATIONS))
                if any(h.key() == moved for h in self._hooks.values()):
                    raise DuplicateWebhook("Webhook configuration already exists")
                hook.endpoint = endpoint
            if events is not None:
                hook.events = list(events)
            if status is not None:
                if status != ACTIVE:
                    raise ValueError('status can only be set to "active"')
                hook.status, hook.fail_count = ACTIVE, 0
            return hook

    def delete(self, hook_id: str) -> Webhook:
        with self._lock:
            return self._hooks.pop(hook_id)

    def clear(self) -> None:
        with self._lock:
            self._hooks.clear()

    # -- lookups ------------------------------------------------------------------------------------
    def get(self, hook_id: str) -> Webhook | None:
        return self._hooks.get(hook_id)

    def of(self, ws: int, user_pos: int | None = None) -> list[Webhook]:
        """The workspace's webhooks (only one user's when given), oldest first."""
        with self._lock:
            return [
                h for h in self._hooks.values() if h.ws == ws and (user_pos is None or h.user_pos == user_pos)
            ]

    def receiving(self, ws: int) -> list[Webhook]:
        """The workspace's webhooks that are not suspended: those a change is sent to."""
        with self._lock:
            return [h for h in self._hooks.values() if h.ws == ws and h.receiving]

    def listening(self, ws: int) -> bool:
        """Cheap: is there any webhook a change of the workspace could be sent to?"""
        return any(h.ws == ws and h.receiving for h in list(self._hooks.values()))

    # -- health -------------------------------------------------------------------------------------
    def delivered(self, hook_id: str) -> None:
        with self._lock:
            hook = self._hooks.get(hook_id)
            if hook is not None and hook.receiving:
                hook.status, hook.fail_count = ACTIVE, 0

    def failed(self, hook_id: str) -> None:
        """One event given up on: counts, and suspends at the limit."""
        with self._lock:
            hook = self._hooks.get(hook_id)
            if hook is not None and hook.receiving:
                hook.fail_count += 1
                hook.status = SUSPENDED if hook.fail_count >= FAIL_LIMIT else FAILING

    def suspend(self, hook_id: str) -> None:
        with self._lock:
            hook = self._hooks.get(hook_id)
            if hook is not None:
                hook.status = SUSPENDED
