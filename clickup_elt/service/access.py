"""Who may call the API: `Authorization: Bearer <CLICKUP_ELT_API_KEY>`. Without that variable the
API has no key, so the server binds to this machine (loopback) only."""

from __future__ import annotations

import hmac
import os

from fastapi import Header

from clickup_elt.service.errors import ApiError
from clickup_elt.settings import ConfigurationError, loopback

KEY_VARIABLE = "CLICKUP_ELT_API_KEY"


def api_key() -> str | None:
    return (os.environ.get(KEY_VARIABLE) or "").strip() or None


def check_bind(host: str) -> None:
    """Refuse to serve an API without a key beyond this machine."""
    if api_key() is None and not loopback(host):
        raise ConfigurationError(
            f"refusing to serve on {host} without {KEY_VARIABLE}: anyone who reaches it could start "
            f"syncs. Set {KEY_VARIABLE} to a long random key, or serve on 127.0.0.1 only"
        )


def require_key(authorization: str | None = Header(default=None)) -> None:
    """The dependency of every API endpoint (the webhook endpoint checks signatures instead)."""
    key = api_key()
    if key is None:
        return
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), key):
        raise ApiError(
            401,
            f"missing or wrong API key: send `Authorization: Bearer <key>` with the key in {KEY_VARIABLE}",
        )
