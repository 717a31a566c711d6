"""One ClickUp webhook per workspace, created, re-activated and removed through ClickUp's API.

`POST /team/{id}/webhook` (events `*`) answers the webhook's id and secret; `GET /team/{id}/webhook`
lists the caller's webhooks with their health and secret; a suspended one (ClickUp suspends a webhook
after 100 failed deliveries, or at once on a 401 or 410 answer) comes back with
`PUT /webhook/{id}` and `status: active`. Registering again with the same URL changes nothing.
"""

from __future__ import annotations

import hashlib

from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.webhooks.store import Webhook

ACTIVE = "active"


def secret_fingerprint(secret: str) -> str:
    """How a secret is shown: never itself."""
    return "sec_" + hashlib.sha256(secret.encode()).hexdigest()[:10]


def _listed(client: ClickUpClient, workspace_id: str) -> list[dict]:
    return (
        client.get(f"team/{workspace_id}/webhook", endpoint="GET /team/{team_id}/webhook", key="webhooks")[
            "webhooks"
        ]
        or []
    )


def register(
    client: ClickUpClient, workspace_id: str, url: str, known: Webhook | None
) -> tuple[Webhook, str]:
    """The workspace's webhook to `url`, and what was done ("created", "reactivated", "moved",
    "unchanged"). A webhook we registered earlier is reused: pointed at `url` and re-activated."""
    listed = {str(hook["id"]): hook for hook in _listed(client, workspace_id)}
    current = listed.get(known.webhook_id) if known else None
    current = current or next((h for h in listed.values() if h.get("endpoint") == url), None)
    if current is None:
        created = client.send(
            "POST",
            f"team/{workspace_id}/webhook",
            {"endpoint": url, "events": ["*"]},
            endpoint="POST /team/{team_id}/webhook",
            key="webhook",
        )["webhook"]
        return _webhook(workspace_id, created, client), "created"
    health = (current.get("health") or {}).get("status") or ACTIVE
    if current.get("endpoint") == url and health == ACTIVE:
        return _webhook(workspace_id, current, client), "unchanged"
    updated = client.send(
        "PUT",
        f"webhook/{current['id']}",
        {"endpoint": url, "events": "*", "status": ACTIVE},
        endpoint="PUT /webhook/{webhook_id}",
        key="webhook",
    )["webhook"]
    done = "reactivated" if health != ACTIVE else "moved"
    return _webhook(workspace_id, {**current, **updated}, client), done


def remove(client: ClickUpClient, webhook_id: str) -> None:
    client.send("DELETE", f"webhook/{webhook_id}", None, endpoint="DELETE /webhook/{webhook_id}")


def _webhook(workspace_id: str, hook: dict, client: ClickUpClient) -> Webhook:
    status = (hook.get("health") or {}).get("status") or ACTIVE
    return Webhook(
        workspace_id,
        str(hook["id"]),
        str(hook.get("endpoint")),
        str(hook["secret"]),
        client.fingerprint,
        status,
    )
