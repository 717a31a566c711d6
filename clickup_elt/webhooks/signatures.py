"""ClickUp signs each delivery: `X-Signature` is the hex HMAC-SHA256 of the raw request body, keyed
with the webhook's secret. The raw bytes are what is signed: never a re-serialised body."""

from __future__ import annotations

import hashlib
import hmac


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str | None) -> bool:
    """True when `signature` is the body's signature under `secret` (compared in constant time)."""
    if not signature:
        return False
    return hmac.compare_digest(sign(secret, body), signature.strip().lower())
