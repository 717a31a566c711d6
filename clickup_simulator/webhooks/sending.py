"""One delivery on the wire: an HTTP POST of the exact body bytes with ClickUp's headers, and what came
of it. ClickUp signs each body with the webhook's secret: `X-Signature` is the hex HMAC-SHA256 of the
raw bytes, so a receiver verifies before it parses. A delivery fails on any answer but a 2xx and on one
that takes longer than the timeout (7 s at ClickUp)."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import time
from urllib.parse import urlsplit


def signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(endpoint: str, body: bytes, secret: str, timeout_s: float) -> tuple[int | None, str | None, float]:
    """(status or None, error or None, seconds taken). Never raises for the receiver's faults."""
    started = time.monotonic()
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None, f"not an http(s) URL: {endpoint}", 0.0
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = kind(parts.hostname, parts.port, timeout=timeout_s)
    headers = {
        "Content-Type": "application/json",
        "X-Signature": signature(secret, body),
        "User-Agent": "clickup-simulator-webhooks",
    }
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(1 << 16)
        status = response.status
    except TimeoutError:
        return None, "timeout", time.monotonic() - started
    except (OSError, http.client.HTTPException) as exc:
        return None, f"{type(exc).__name__}: {exc}".strip(": "), time.monotonic() - started
    finally:
        connection.close()
    took = time.monotonic() - started
    if took > timeout_s:
        return status, "timeout", took
    return status, None, took
