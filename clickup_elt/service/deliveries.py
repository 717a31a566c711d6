"""Receiving ClickUp's webhook deliveries: check the signature, store the events, answer at once.

ClickUp drops a delivery that takes over 7 s, so nothing slow happens here: one lookup of the
webhook's secret (kept in memory), one short transaction on a pooled connection. Applying the
events is the sensor's job.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator

import orjson
from psycopg2.extensions import connection as Connection
from psycopg2.pool import ThreadedConnectionPool

from clickup_elt.service.errors import ApiError
from clickup_elt.warehouse.db import ensure_raw_schema, libpq_url
from clickup_elt.webhooks import events, signatures, store

log = logging.getLogger(__name__)


class Deliveries:
    def __init__(self, database_url: str, connections: int = 8):
        ensure_raw_schema(database_url)
        self._pool = ThreadedConnectionPool(
            1, connections, libpq_url(database_url), application_name="clickup-elt serve"
        )
        self._free = threading.BoundedSemaphore(connections)  # wait for a connection, never fail
        self._hooks: dict[str, store.Webhook] = {}
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Connection]:
        with self._free:
            conn = self._pool.getconn()
            try:
                with conn:
                    yield conn
            finally:
                self._pool.putconn(conn)

    def _webhook(self, webhook_id: str) -> store.Webhook | None:
        with self._lock:
            hook = self._hooks.get(webhook_id)
        if hook is None:
            with self._connection() as conn:
                hook = store.webhook(conn, webhook_id)
            if hook is not None:
                with self._lock:
                    self._hooks[webhook_id] = hook
        return hook

    def receive(self, body: bytes, signature: str | None) -> dict:
        """Store a signed delivery; an unsigned, wrongly signed or unknown one stores nothing."""
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise ApiError(401, "not a signed ClickUp delivery (the body is not JSON)") from None
        webhook_id = str(payload.get("webhook_id") or "") if isinstance(payload, dict) else ""
        hook = self._webhook(webhook_id) if webhook_id else None
        if hook is None:
            raise ApiError(401, "unknown webhook: register it with `clickup-elt webhooks register`")
        if not signatures.verify(hook.secret, body, signature):
            raise ApiError(
                401, "bad or missing X-Signature: the body must be signed with the webhook's secret"
            )
        try:
            _, found = events.parse(payload)
        except events.MalformedEvent as exc:
            log.warning("a signed delivery of webhook %s was not understood: %s", webhook_id, exc)
            return {"stored": 0, "events": 0}
        with self._connection() as conn:
            new = store.record(conn, hook, found, payload)
        return {"stored": new, "events": len(found)}

    def close(self) -> None:
        self._pool.closeall()
