"""The webhooks registered per workspace, and the events they delivered, in the warehouse.

`clickup_raw.webhooks` holds each workspace's webhook and its secret (the HTTP service needs it to
check signatures; like the rest of clickup_raw, BI roles cannot read it). `clickup_raw.webhook_events`
holds every change delivered, once per key (see `events`): pending until a sensor puts it in a batch
(`batch_id`), applied once the batch's run succeeded. A failed run puts its events back, to be tried
again after a pause that doubles with each failure (a revoked token must not start a run a minute).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import orjson
from psycopg2.extensions import connection as Connection

from clickup_elt.warehouse.db import one_row
from clickup_elt.warehouse.schema import RAW_SCHEMA
from clickup_elt.webhooks.events import Event


@dataclass(frozen=True)
class Webhook:
    workspace_id: str
    webhook_id: str
    endpoint: str
    secret: str
    token_fingerprint: str | None
    status: str


@dataclass(frozen=True)
class StoredEvent:
    key: str
    workspace_id: str
    event: str
    resource_type: str
    resource_id: str
    occurred_at: dt.datetime | None
    received_at: dt.datetime
    field: str | None = None  # what the change touched (history items only)


def save_webhook(conn: Connection, hook: Webhook) -> None:
    with conn.cursor() as cur:
        cur.execute(
            f"insert into {RAW_SCHEMA}.webhooks (workspace_id, webhook_id, endpoint, secret, "
            f"token_fingerprint, status) values (%s, %s, %s, %s, %s, %s) "
            f"on conflict (workspace_id) do update set webhook_id = excluded.webhook_id, "
            f"endpoint = excluded.endpoint, secret = excluded.secret, "
            f"token_fingerprint = excluded.token_fingerprint, status = excluded.status, "
            f"updated_at = now()",
            (
                hook.workspace_id,
                hook.webhook_id,
                hook.endpoint,
                hook.secret,
                hook.token_fingerprint,
                hook.status,
            ),
        )


def webhooks(conn: Connection) -> list[Webhook]:
    with conn.cursor() as cur:
        cur.execute(
            f"select workspace_id, webhook_id, endpoint, secret, token_fingerprint, status "
            f"from {RAW_SCHEMA}.webhooks order by workspace_id"
        )
        return [Webhook(*row) for row in cur.fetchall()]


def webhook(conn: Connection, webhook_id: str) -> Webhook | None:
    with conn.cursor() as cur:
        cur.execute(
            f"select workspace_id, webhook_id, endpoint, secret, token_fingerprint, status "
            f"from {RAW_SCHEMA}.webhooks where webhook_id = %s",
            (webhook_id,),
        )
        row = cur.fetchone()
    return Webhook(*row) if row else None


def forget_webhook(conn: Connection, workspace_id: str) -> None:
    with conn.cursor() as cur:
        cur.execute(f"delete from {RAW_SCHEMA}.webhooks where workspace_id = %s", (workspace_id,))


def record(conn: Connection, hook: Webhook, events: Iterable[Event], payload: dict) -> int:
    """Store the events of one delivery; returns how many were new. A history item is one change:
    delivered again, it is counted and ignored. An event without history items (a folder updated
    again later) reopens an applied row, so the later change is applied too."""
    body = orjson.dumps(payload).decode()
    new = 0
    with conn.cursor() as cur:
        for event in events:
            occurred = (
                dt.datetime.fromtimestamp(event.occurred_ms / 1000, dt.timezone.utc)
                if event.occurred_ms is not None
                else None
            )
            reopen = (
                ""
                if event.by_history_item
                else ", batch_id = case when e.applied_at is null then e.batch_id end, "
                "batched_at = case when e.applied_at is null then e.batched_at end, "
                "applied_at = null, payload = excluded.payload, received_at = now()"
            )
            cur.execute(
                f"insert into {RAW_SCHEMA}.webhook_events as e (event_key, webhook_id, workspace_id, "
                f"event, resource_type, resource_id, history_item_id, field, occurred_at, payload) "
                f"values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) on conflict (event_key) do update "
                f"set deliveries = e.deliveries + 1{reopen} returning (xmax = 0)",
                (
                    event.key,
                    hook.webhook_id,
                    hook.workspace_id,
                    event.event,
                    event.resource_type,
                    event.resource_id,
                    event.history_item_id,
                    event.field,
                    occurred,
                    body,
                ),
            )
            new += int(bool(one_row(cur)[0]))
    return new


def pending(conn: Connection) -> list[StoredEvent]:
    """Events no batch has taken yet (and not pausing after a failure), oldest first."""
    with conn.cursor() as cur:
        cur.execute(
            f"select event_key, workspace_id, event, resource_type, resource_id, occurred_at, "
            f"received_at, field from {RAW_SCHEMA}.webhook_events "
            f"where applied_at is null and batch_id is null "
            f"and (not_before is null or not_before <= now()) order by received_at, event_key"
        )
        return [StoredEvent(*row) for row in cur.fetchall()]


def take(conn: Connection, keys: list[str], batch_id: str) -> None:
    """Put these events in a batch (a run about to be requested)."""
    with conn.cursor() as cur:
        cur.execute(
            f"update {RAW_SCHEMA}.webhook_events set batch_id = %s, batched_at = now() "
            f"where event_key = any(%s) and batch_id is null and applied_at is null",
            (batch_id, keys),
        )


def batches_in_flight(conn: Connection) -> dict[str, tuple[str, dt.datetime]]:
    """Batches whose run has not been seen to succeed yet: batch id -> (workspace, requested at)."""
    with conn.cursor() as cur:
        cur.execute(
            f"select batch_id, min(workspace_id), min(batched_at) "
            f"from {RAW_SCHEMA}.webhook_events "
            f"where batch_id is not null and applied_at is null group by batch_id"
        )
        return {batch: (ws, at) for batch, ws, at in cur.fetchall()}


def applied(conn: Connection, batch_id: str) -> None:
    with conn.cursor() as cur:
        cur.execute(
            f"update {RAW_SCHEMA}.webhook_events set applied_at = now() "
            f"where batch_id = %s and applied_at is null",
            (batch_id,),
        )


def put_back(conn: Connection, batch_id: str) -> None:
    """The batch's run failed (or never started): its events are pending again, after 1, 2, 4…
    minutes (at most an hour: the hourly schedule reads the changes anyway)."""
    with conn.cursor() as cur:
        cur.execute(
            f"update {RAW_SCHEMA}.webhook_events set batch_id = null, batched_at = null, "
            f"attempts = attempts + 1, not_before = now() + least(interval '60 minutes', "
            f"interval '1 minute' * power(2, attempts)) "
            f"where batch_id = %s and applied_at is null",
            (batch_id,),
        )
