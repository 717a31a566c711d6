"""The ClickUp API v2 client: one session per token, pacing, retries, clear errors.

Retried: 429 (after the window resets), 5xx, dropped connections, timeouts, bodies that are not JSON
(truncated, HTML pages) and answers without the key their endpoint must have, with capped exponential
backoff and full jitter; a request that keeps failing raises an error naming its path. Not retried:
401/403 (a credentials problem the user must fix, or an object out of reach) and 404s with a JSON body
(the caller decides what they mean). Dirty text (NUL, lone surrogates) is cleaned by `decode`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from clickup_elt.clickup.decode import MalformedBody, decode
from clickup_elt.clickup.errors import (
    ClickUpAuthError,
    ClickUpError,
    ClickUpNotFoundError,
    ClickUpUnavailableError,
    auth_message,
)
from clickup_elt.clickup.ratelimit import RateLimitPacer

log = logging.getLogger(__name__)

TIMEOUT = (10, 120)  # connect, read (seconds); CLICKUP_HTTP_TIMEOUT_SECONDS sets the read timeout
MAX_ATTEMPTS = 8  # per request, for 5xx / drops / malformed bodies
MAX_RATE_LIMITED = 30  # consecutive 429s before we give up on a request
BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 30.0
LOGGED_WAIT_S = 2.0  # rate-limit waits at least this long are logged with their reason

# query parameters: a mapping, or (name, value) pairs where a name repeats (`task_ids`)
Params = dict[str, Any] | list[tuple[str, str]] | None

_pacers: dict[str, RateLimitPacer] = {}
_pacers_lock = threading.Lock()


def token_fingerprint(token: str) -> str:
    """A short, stable, non-reversible name for a token (for logs, tags and tables)."""
    return "tok_" + hashlib.sha256(token.encode()).hexdigest()[:10]


def shared_pacer(token: str) -> RateLimitPacer:
    return pacer_for(token_fingerprint(token))


def pacer_for(fingerprint: str) -> RateLimitPacer:
    """The pacer this process shares among the clients of a token, by the token's fingerprint."""
    with _pacers_lock:
        return _pacers.setdefault(fingerprint, RateLimitPacer())


@dataclass
class RequestStats:
    """What a sync spent; reported as materialization metadata and in the sync log."""

    requests: int = 0
    rate_limit_waits: int = 0
    rate_limit_wait_s: float = 0.0
    retries: int = 0
    bytes_received: int = 0
    by_endpoint: dict[str, int] = field(default_factory=dict)
    # the threads of one workspace's concurrent reads count into the same stats
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, key: str, size: int) -> None:
        with self._lock:
            self.requests += 1
            self.bytes_received += size
            self.by_endpoint[key] = self.by_endpoint.get(key, 0) + 1

    def waited(self, seconds: float) -> None:
        with self._lock:
            self.rate_limit_waits += 1
            self.rate_limit_wait_s += seconds

    def retried(self) -> None:
        with self._lock:
            self.retries += 1

    def add(self, other: RequestStats) -> None:
        self.requests += other.requests
        self.rate_limit_waits += other.rate_limit_waits
        self.rate_limit_wait_s += other.rate_limit_wait_s
        self.retries += other.retries
        self.bytes_received += other.bytes_received
        for key, count in other.by_endpoint.items():
            self.by_endpoint[key] = self.by_endpoint.get(key, 0) + count


class _Retry(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ClickUpClient:
    def __init__(
        self,
        token: str,
        api_url: str = "https://api.clickup.com/api/v2",
        *,
        workspace_id: str | None = None,
        pacer: RateLimitPacer | None = None,
        timeout: tuple[float, float] | None = None,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        if not token:
            raise ClickUpAuthError(auth_message(401, "OAUTH_017", None, "/", workspace_id), status=401)
        self.api_url = api_url.rstrip("/")
        self.workspace_id = workspace_id
        self.fingerprint = token_fingerprint(token)
        self.pacer = pacer or shared_pacer(token)
        self.timeout = timeout or _timeout()
        self.stats = RequestStats()
        self._sleep = sleep
        self._session = requests.Session()
        self._session.headers.update(
            {"Authorization": token, "Accept": "application/json", "User-Agent": "clickup-elt"}
        )

    def for_workspace(self, workspace_id: str) -> ClickUpClient:
        """The same token and pacer, with errors that name the workspace and fresh stats."""
        clone = object.__new__(ClickUpClient)
        clone.__dict__.update(self.__dict__)
        clone.workspace_id = workspace_id
        clone.stats = RequestStats()
        return clone

    def worker(self) -> ClickUpClient:
        """The same token, pacer, workspace and stats on a session of its own, for one thread of a
        concurrent read (a `requests.Session` is not meant to be shared between threads)."""
        clone = object.__new__(ClickUpClient)
        clone.__dict__.update(self.__dict__)
        clone._session = requests.Session()
        clone._session.headers.update(self._session.headers)
        return clone

    def close(self) -> None:
        self._session.close()

    def get(
        self, path: str, params: Params = None, *, endpoint: str | None = None, key: str | None = None
    ) -> dict[str, Any]:
        """GET `path` (relative to the API base) and return the decoded JSON object; `key`: the key
        the answer must hold (an answer without it is retried, never read as "no rows")."""
        return self._request("GET", path, params, None, endpoint, key)

    def send(
        self,
        method: str,
        path: str,
        body: dict | None,
        *,
        endpoint: str | None = None,
        key: str | None = None,
    ) -> dict[str, Any]:
        """POST, PUT or DELETE `path` with a JSON `body` (webhook registration), retried like a GET."""
        return self._request(method, path, None, body, endpoint, key)

    def _request(
        self, method: str, path: str, params: Params, body: dict | None, endpoint: str | None, key: str | None
    ) -> dict[str, Any]:
        url = f"{self.api_url}/{path.lstrip('/')}"
        label = endpoint or path
        failures = rate_limited = 0
        while True:
            self._note_wait(self.pacer.before_request(), "the token's rate-limit window is spent")
            try:
                return self._attempt(method, url, path, params, body, label, key)
            except _Retry as retry:
                if retry.reason == "429":
                    rate_limited += 1
                    if rate_limited > MAX_RATE_LIMITED:
                        raise ClickUpUnavailableError(
                            f"ClickUp kept answering 429 (rate limit) for {path} after {rate_limited} waits",
                            status=429,
                            ecode="APP_002",
                            path=path,
                        ) from None
                    self._note_wait(
                        self.pacer.after_429(rate_limited),
                        "ClickUp answered 429 (rate limit reached)",
                        always=True,
                    )
                    continue
                failures += 1
                if failures >= MAX_ATTEMPTS:
                    raise ClickUpUnavailableError(
                        f"ClickUp request {path} failed {failures} times, last: {retry.reason}"
                        f"{_api_url_hint(retry.reason, self.api_url)}",
                        path=path,
                    ) from None
                self.stats.retried()
                delay = random.uniform(0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**failures))
                log.warning("retrying %s in %.1fs after %s", path, delay, retry.reason)
                self._sleep(delay)

    def _note_wait(self, seconds: float, why: str, always: bool = False) -> None:
        if not seconds and not always:
            return
        self.stats.waited(seconds)
        if seconds >= LOGGED_WAIT_S:
            log.info("waiting %.0f s for ClickUp's rate limit (token %s): %s", seconds, self.fingerprint, why)

    def _attempt(
        self, method: str, url: str, path: str, params: Params, body: dict | None, label: str, key: str | None
    ) -> dict[str, Any]:
        try:
            response = self._session.request(method, url, params=params, json=body, timeout=self.timeout)
            content = response.content
        except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
            self.pacer.observe(None)
            self.stats.count(label, 0)
            raise _Retry(f"connection error ({_connection_problem(exc)})") from None
        except BaseException:
            self.pacer.observe(None)  # every request the pacer let out is given back
            raise
        self.stats.count(label, len(content))
        self.pacer.observe(response.headers)
        status = response.status_code
        if status == 429:
            raise _Retry("429")
        if status >= 500:
            raise _Retry(f"HTTP {status}")
        if status in (401, 403):
            ecode, err = _error_fields(content)
            raise ClickUpAuthError(
                auth_message(status, ecode, err, path, self.workspace_id),
                status=status,
                ecode=ecode,
                path=path,
            )
        if status >= 400:
            ecode, err = _error_fields(content)
            cls = ClickUpNotFoundError if status == 404 else ClickUpError
            raise cls(
                f"ClickUp answered {status} {ecode or ''} {err or ''} for {path}".strip(),
                status=status,
                ecode=ecode,
                path=path,
            )
        try:
            data = decode(content)
        except MalformedBody:
            kind = response.headers.get("Content-Type", "").split(";")[0] or "no content type"
            raise _Retry(f"an answer that is not JSON ({kind}, {len(content)} bytes)") from None
        if not isinstance(data, dict):
            raise _Retry("unexpected JSON body (not an object)")
        if key is not None and key not in data:
            raise _Retry(f"an answer without `{key}`")
        return data


def _timeout() -> tuple[float, float]:
    """(connect, read) seconds: TIMEOUT, with the read timeout from CLICKUP_HTTP_TIMEOUT_SECONDS."""
    value = os.environ.get("CLICKUP_HTTP_TIMEOUT_SECONDS", "").strip()
    try:
        read = float(value) if value else TIMEOUT[1]
    except ValueError:
        read = TIMEOUT[1]
    return (min(TIMEOUT[0], read), read) if read > 0 else TIMEOUT


def _connection_problem(exc: Exception) -> str:
    """ "timeout", "connection refused", … : the kind of failure, without the URL's details."""
    if isinstance(exc, requests.Timeout):
        return "no answer within the timeout"
    text = str(exc).lower()
    for needle, name in (
        ("refused", "connection refused"),
        ("name or service", "unknown host"),
        ("nodename nor servname", "unknown host"),
        ("reset", "connection reset"),
    ):
        if needle in text:
            return name
    return type(exc).__name__


def _api_url_hint(reason: str, api_url: str) -> str:
    """Unreachable servers are usually a wrong CLICKUP_API_URL: say so, with the URL's host."""
    if "refused" in reason or "unknown host" in reason:
        return f": check CLICKUP_API_URL ({api_url})"
    return ""


def _error_fields(body: bytes) -> tuple[str | None, str | None]:
    try:
        data = decode(body)
    except MalformedBody:
        return None, None
    if isinstance(data, dict):
        return data.get("ECODE"), data.get("err")
    return None, None
