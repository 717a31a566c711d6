"""The ClickUp API v2 client: one session per token, pacing, retries, clear errors.

Retried: 429 (after the window resets), 5xx, dropped connections, timeouts and malformed or truncated
JSON bodies, with capped exponential backoff and full jitter. Not retried: 401/403 (a credentials
problem the user must fix) and 404s with a JSON body (the caller decides what they mean).
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
import time
from dataclasses import dataclass, field

import orjson
import requests

from clickup_elt.clickup.errors import (
    ClickUpAuthError,
    ClickUpError,
    ClickUpNotFoundError,
    ClickUpUnavailableError,
    auth_message,
)
from clickup_elt.clickup.ratelimit import RateLimitPacer

log = logging.getLogger(__name__)

TIMEOUT = (10, 120)  # connect, read (seconds)
MAX_ATTEMPTS = 8  # per request, for 5xx / drops / malformed bodies
MAX_RATE_LIMITED = 30  # consecutive 429s before we give up on a request
BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 30.0

_pacers: dict[str, RateLimitPacer] = {}
_pacers_lock = threading.Lock()


def token_fingerprint(token: str) -> str:
    """A short, stable, non-reversible name for a token (for logs, tags and tables)."""
    return "tok_" + hashlib.sha256(token.encode()).hexdigest()[:10]


def shared_pacer(token: str) -> RateLimitPacer:
    with _pacers_lock:
        return _pacers.setdefault(token_fingerprint(token), RateLimitPacer())


@dataclass
class RequestStats:
    """What a sync spent; reported as materialization metadata and in the sync log."""

    requests: int = 0
    rate_limit_waits: int = 0
    rate_limit_wait_s: float = 0.0
    retries: int = 0
    bytes_received: int = 0
    by_endpoint: dict[str, int] = field(default_factory=dict)

    def add(self, other: "RequestStats") -> None:
        self.requests += other.requests
        self.rate_limit_waits += other.rate_limit_waits
        self.rate_limit_wait_s += other.rate_limit_wait_s
        self.retries += other.retries
        self.bytes_received += other.bytes_received
        for key, count in other.by_endpoint.items():
            self.by_endpoint[key] = self.by_endpoint.get(key, 0) + count


class _Retry(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ClickUpClient:
    def __init__(self, token: str, api_url: str = "https://api.clickup.com/api/v2", *,
                 workspace_id: str | None = None, pacer: RateLimitPacer | None = None,
                 timeout=TIMEOUT, sleep=time.sleep):
        if not token:
            raise ClickUpAuthError(auth_message(401, "OAUTH_017", None, "/", workspace_id), status=401)
        self.api_url = api_url.rstrip("/")
        self.workspace_id = workspace_id
        self.fingerprint = token_fingerprint(token)
        self.pacer = pacer or shared_pacer(token)
        self.timeout = timeout
        self.stats = RequestStats()
        self._sleep = sleep
        self._session = requests.Session()
        self._session.headers.update({"Authorization": token, "Accept": "application/json",
                                      "User-Agent": "clickup-elt"})

    def for_workspace(self, workspace_id: str) -> "ClickUpClient":
        """The same token and pacer, with errors that name the workspace and fresh stats."""
        clone = object.__new__(ClickUpClient)
        clone.__dict__.update(self.__dict__)
        clone.workspace_id = workspace_id
        clone.stats = RequestStats()
        return clone

    def close(self) -> None:
        self._session.close()

    def get(self, path: str, params=None, *, endpoint: str | None = None) -> dict:
        """GET `path` (relative to the API base) and return the decoded JSON object."""
        url = f"{self.api_url}/{path.lstrip('/')}"
        key = endpoint or path
        failures = rate_limited = 0
        while True:
            waited = self.pacer.before_request()
            if waited:
                self.stats.rate_limit_waits += 1
                self.stats.rate_limit_wait_s += waited
            try:
                return self._attempt(url, path, params, key)
            except _Retry as retry:
                if retry.reason == "429":
                    rate_limited += 1
                    if rate_limited > MAX_RATE_LIMITED:
                        raise ClickUpUnavailableError(
                            f"ClickUp kept answering 429 (rate limit) for {path} after "
                            f"{rate_limited} waits", status=429, ecode="APP_002", path=path) from None
                    self.stats.rate_limit_waits += 1
                    self.stats.rate_limit_wait_s += self.pacer.after_429()
                    continue
                failures += 1
                if failures >= MAX_ATTEMPTS:
                    raise ClickUpUnavailableError(
                        f"ClickUp request {path} failed {failures} times, last: {retry.reason}",
                        path=path) from None
                self.stats.retries += 1
                delay = random.uniform(0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** failures))
                log.warning("retrying %s in %.1fs after %s", path, delay, retry.reason)
                self._sleep(delay)

    def _attempt(self, url: str, path: str, params, key: str) -> dict:
        try:
            response = self._session.get(url, params=params, timeout=self.timeout)
            body = response.content
        except (requests.ConnectionError, requests.Timeout,
                requests.exceptions.ChunkedEncodingError) as exc:
            self._count(key, 0)
            raise _Retry(f"connection error ({type(exc).__name__})") from None
        self._count(key, len(body))
        self.pacer.observe(response.headers)
        status = response.status_code
        if status == 429:
            raise _Retry("429")
        if status >= 500:
            raise _Retry(f"HTTP {status}")
        if status in (401, 403):
            ecode, err = _error_fields(body)
            raise ClickUpAuthError(auth_message(status, ecode, err, path, self.workspace_id),
                                   status=status, ecode=ecode, path=path)
        if status >= 400:
            ecode, err = _error_fields(body)
            cls = ClickUpNotFoundError if status == 404 else ClickUpError
            raise cls(f"ClickUp answered {status} {ecode or ''} {err or ''} for {path}".strip(),
                      status=status, ecode=ecode, path=path)
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise _Retry("malformed JSON body") from None
        if not isinstance(data, dict):
            raise _Retry("unexpected JSON body (not an object)")
        return data

    def _count(self, key: str, size: int) -> None:
        self.stats.requests += 1
        self.stats.bytes_received += size
        self.stats.by_endpoint[key] = self.stats.by_endpoint.get(key, 0) + 1


def _error_fields(body: bytes) -> tuple[str | None, str | None]:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None, None
    if isinstance(data, dict):
        return data.get("ECODE"), data.get("err")
    return None, None
