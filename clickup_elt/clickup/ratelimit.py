"""Pacing on ClickUp's rate-limit headers.

ClickUp counts requests per token in a fixed window (about 60 s from the first request) and reports
`X-RateLimit-Remaining` and `X-RateLimit-Reset` (epoch seconds) on every answer but a 401. Bursting
until the window is spent and then sleeping to its reset is as fast as a fixed window allows, and it
never earns an avoidable 429. One pacer is shared by every client of the same token in a process;
the window's state travels to the next process that uses the token with the token's pool slot
(`window` and `resume`, see clickup_elt.defs.ingestion.token_pool).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime

RESET_MARGIN_S = 0.5  # reset is whole seconds; wake a little after it
MAX_WAIT_S = 65.0  # a window is ~60 s; never trust a reset further away than that


class RateLimitPacer:
    def __init__(
        self,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], object] = time.sleep,
        reserve: int = 0,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._remaining: int | None = None
        self._reset_at: float | None = None
        self.reserve = reserve  # leave this many requests unused (another process shares the token)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Record the window state from an answer's headers (missing headers change nothing)."""
        remaining, reset = headers.get("X-RateLimit-Remaining"), headers.get("X-RateLimit-Reset")
        if remaining is None or reset is None:
            return
        try:
            remaining_n, reset_at = int(remaining), float(reset)
        except ValueError:
            return
        offset = _clock_offset(headers.get("Date"), self._clock())
        with self._lock:
            self._remaining = remaining_n
            self._reset_at = reset_at - offset

    def window(self) -> tuple[int, float] | None:
        """(requests left, reset epoch on our clock) of the current window; None when unknown."""
        with self._lock:
            if self._remaining is None or self._reset_at is None:
                return None
            return self._remaining, self._reset_at

    def resume(self, remaining: int, reset_at: float) -> None:
        """Take over a window another process spent part of, unless ours says less is left."""
        with self._lock:
            if reset_at + RESET_MARGIN_S <= self._clock():
                return  # that window is over
            if self._remaining is None or self._reset_at is None or remaining < self._remaining:
                self._remaining, self._reset_at = remaining, reset_at

    def seconds_until_reset(self) -> float:
        with self._lock:
            if self._reset_at is None:
                return 0.0
            return min(MAX_WAIT_S, max(0.0, self._reset_at - self._clock() + RESET_MARGIN_S))

    def before_request(self) -> float:
        """Sleep if the window is spent; returns the seconds slept (0 when no wait was needed)."""
        with self._lock:
            spent = self._remaining is not None and self._remaining <= self.reserve
            if spent and self._reset_at is not None and self._clock() >= self._reset_at + RESET_MARGIN_S:
                self._remaining, spent = None, False  # the window has rolled over
            if not spent:
                if self._remaining is not None:
                    self._remaining -= 1
                return 0.0
        wait = self.seconds_until_reset()
        if wait > 0:
            self._sleep(wait)
        with self._lock:
            self._remaining = None
        return wait

    def after_429(self, attempt: int = 1) -> float:
        """Sleep until the window resets after a 429; returns the seconds slept. A 429 without a
        reset ahead (no rate-limit headers) backs off exponentially: 1, 2, 4… up to a window."""
        wait = self.seconds_until_reset() or min(MAX_WAIT_S, 2.0 ** (attempt - 1))
        self._sleep(wait)
        with self._lock:
            self._remaining = None
        return wait


def _clock_offset(date_header: str | None, now: float) -> float:
    """Server clock minus ours, when they disagree by more than the Date header's 1 s resolution."""
    if not date_header:
        return 0.0
    try:
        server_now = parsedate_to_datetime(date_header).timestamp()
    except (TypeError, ValueError):
        return 0.0
    offset = server_now - now
    return offset if abs(offset) > 5 else 0.0
