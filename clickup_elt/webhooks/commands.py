"""`clickup-elt webhooks register | list | remove`: one webhook per workspace the tokens reach.

Secrets are stored in the warehouse (the HTTP service checks signatures with them) and only ever
shown by fingerprint.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from clickup_elt import settings
from clickup_elt.clickup import workspace_discovery as discovery
from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.errors import ClickUpError
from clickup_elt.warehouse import db
from clickup_elt.webhooks import registration, store


@dataclass(frozen=True)
class Row:
    workspace_id: str
    webhook_id: str
    endpoint: str
    status: str
    secret: str  # a fingerprint, never the secret
    done: str = ""


def _row(hook: store.Webhook, done: str = "") -> Row:
    return Row(
        hook.workspace_id,
        hook.webhook_id,
        hook.endpoint,
        hook.status,
        registration.secret_fingerprint(hook.secret),
        done,
    )


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and settings.loopback(parts.hostname)):
        raise settings.ConfigurationError(
            f"--url must be the public https URL ClickUp can deliver to (e.g. "
            f"https://sync.example.com/webhooks/clickup behind a reverse proxy or tunnel), not {url!r}"
        )


def _each_workspace(only: tuple[str, ...], act: Callable[[ClickUpClient, str], Row]) -> list[Row]:
    config = settings.ClickUpSettings.from_env()
    found = discovery.discover(config.tokens, config.api_url, tuple(only) or config.workspace_ids)
    missing = sorted(set(only) - {w.id for w in found.workspaces})
    if missing:
        raise settings.ConfigurationError(
            f"no token in CLICKUP_API_TOKEN reaches workspace(s) {', '.join(missing)}"
        )
    rows = []
    for ws in found.workspaces:
        client = ClickUpClient(
            discovery.token_for(config.tokens, [ws.fingerprint]) or "", config.api_url, workspace_id=ws.id
        )
        try:
            rows.append(act(client, ws.id))
        finally:
            client.close()
    return rows


def register(url: str, only: tuple[str, ...] = ()) -> list[Row]:
    """Create (or reuse, re-point, re-activate) each workspace's webhook to `url`."""
    _check_url(url)
    database = settings.prepare_environment()
    db.ensure_raw_schema(database)

    def act(client: ClickUpClient, workspace_id: str) -> Row:
        with db.connection(database) as conn:
            known = next((h for h in store.webhooks(conn) if h.workspace_id == workspace_id), None)
        hook, done = registration.register(client, workspace_id, url, known)
        with db.connection(database) as conn:
            store.save_webhook(conn, hook)
        return _row(hook, done)

    return _each_workspace(only, act)


def listed() -> list[Row]:
    """The webhooks registered here, with the health ClickUp reports for each."""
    database = settings.prepare_environment()
    db.ensure_raw_schema(database)
    with db.connection(database) as conn:
        hooks = {h.workspace_id: h for h in store.webhooks(conn)}

    def act(client: ClickUpClient, workspace_id: str) -> Row:
        hook = hooks[workspace_id]
        live = {
            str(h["id"]): h
            for h in client.get(
                f"team/{workspace_id}/webhook", endpoint="GET /team/{team_id}/webhook", key="webhooks"
            )["webhooks"]
            or []
        }
        health = (live.get(hook.webhook_id) or {}).get("health") or {}
        status = health.get("status", "active") if hook.webhook_id in live else "missing in ClickUp"
        fails = health.get("fail_count")
        return dataclasses.replace(_row(hook, f"{fails} failed deliveries" if fails else ""), status=status)

    return _each_workspace(tuple(hooks), act) if hooks else []


def remove(only: tuple[str, ...] = ()) -> list[Row]:
    """Delete each workspace's webhook in ClickUp and here."""
    database = settings.prepare_environment()
    db.ensure_raw_schema(database)
    with db.connection(database) as conn:
        hooks = {h.workspace_id: h for h in store.webhooks(conn) if not only or h.workspace_id in only}

    def act(client: ClickUpClient, workspace_id: str) -> Row:
        hook = hooks[workspace_id]
        try:
            registration.remove(client, hook.webhook_id)
            done = "removed"
        except ClickUpError as exc:
            if exc.status != 404:
                raise
            done = "already gone in ClickUp"
        with db.connection(database) as conn:
            store.forget_webhook(conn, workspace_id)
        return _row(hook, done)

    return _each_workspace(tuple(hooks), act) if hooks else []
