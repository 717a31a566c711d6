"""Pacing on ClickUp's rate-limit headers.

ClickUp counts requests per token in a fixed window (about 60 s from the first request) and reports
`X-RateLimit-Remaining` and `X-RateLimit-Reset` (epoch seconds) on every answer but a 401. Bursting
until the window is spent and then sleeping to its reset is as fast as a fixed window allows, and it
never earns an avoidable 429. One pacer is shared by every client of the same token in a process,
and by the threads reading one workspace concurrently. The server's count only grows within a window,
so the lowest `remaining` answered so far counts every request answered; the ones it may not count
are those still in flight, so a request may go while `lowest - in flight` is above the reserve.
While the window is unknown (first request, after a reset or a 429) one request goes out to learn it.
The window's state travels to the next process that uses the token with the token's pool slot
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
        self._lock = threading.Condition()
        self._lowest: int | None = None  # the lowest `remaining` answered in this window
        self._reset_at: float | None = None
        self._window: float | None = None  # the reset header of the window `_lowest` belongs to
        self._in_flight = 0
        self._answers = 0  # answers with headers so far: a thread back from a wait sees if it is stale
        self.reserve = reserve  # leave this many requests unused (another process shares the token)

    def observe(self, headers: Mapping[str, str] | None) -> None:
        """An answer arrived: record the window state from its headers (missing headers change nothing)
        and free the request's place in flight. `None`: the request got no answer."""
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)
            self._lock.notify_all()
            parsed = _window(headers, self._clock())
            if parsed is None:
                if self._lowest is not None:
                    self._lowest -= 1  # no answer, or one without headers: it may still have counted
                return
            remaining, reset, reset_at = parsed
            if self._window is not None and reset < self._window:
                return  # an answer from a window that has already ended
            self._answers += 1
            if self._window == reset and self._lowest is not None:
                remaining = min(remaining, self._lowest)  # an older answer overtaken by a newer one
            self._lowest, self._reset_at, self._window = remaining, reset_at, reset

    def window(self) -> tuple[int, float] | None:
        """(requests left, reset epoch on our clock) of the current window; None when unknown."""
        with self._lock:
            if self._lowest is None or self._reset_at is None:
                return None
            return self._lowest - self._in_flight, self._reset_at

    def resume(self, remaining: int, reset_at: float) -> None:
        """Take over a window another process spent part of, unless ours says less is left."""
        with self._lock:
            if reset_at + RESET_MARGIN_S <= self._clock():
                return  # that window is over
            if self._lowest is None or self._reset_at is None or remaining < self._lowest:
                self._lowest, self._reset_at = remaining, reset_at

    def seconds_until_reset(self) -> float:
        with self._lock:
            return self._until_reset()

    def _until_reset(self) -> float:
        if self._reset_at is None:
            return 0.0
        return min(MAX_WAIT_S, max(0.0, self._reset_at - self._clock() + RESET_MARGIN_S))

    def before_request(self) -> float:
        """Wait for a place in the window; returns the seconds slept (0 when no wait was needed).
        Every call is followed by one `observe` when the request is over."""
        slept = 0.0
        while True:
            with self._lock:
                spent = self._lowest is not None and self._lowest - self._in_flight <= self.reserve
                if spent and self._clock() >= (self._reset_at or 0.0) + RESET_MARGIN_S:
                    self._unknown()  # the window has rolled over
                    spent = False
                if not spent:
                    if self._lowest is None and self._in_flight > 0:
                        self._lock.wait(MAX_WAIT_S)  # another request is learning the window
                        continue
                    self._in_flight += 1
                    return slept
                answers, wait = self._answers, self._until_reset()
            if wait > 0:
                self._sleep(wait)
                slept += wait
            self._forget_since(answers)

    def after_429(self, attempt: int = 1) -> float:
        """Sleep until the window resets after a 429; returns the seconds slept. A 429 without a
        reset ahead (no rate-limit headers) backs off exponentially: 1, 2, 4… up to a window."""
        with self._lock:
            answers, wait = self._answers, self._until_reset() or min(MAX_WAIT_S, 2.0 ** (attempt - 1))
        self._sleep(wait)
        self._forget_since(answers)
        return wait

    def _forget_since(self, answers: int) -> None:
        """After a wait, the window is unknown, unless an answer told it since (another thread's)."""
        with self._lock:
            if self._answers == answers:
                self._unknown()

    def _unknown(self) -> None:
        self._lowest = self._reset_at = self._window = None


def _window(headers: Mapping[str, str] | None, now: float) -> tuple[int, float, float] | None:
    """(remaining, reset header, reset on our clock), or None without usable headers."""
    if not headers:
        return None
    remaining, reset = headers.get("X-RateLimit-Remaining"), headers.get("X-RateLimit-Reset")
    if remaining is None or reset is None:
        return None
    try:
        remaining_n, reset_s = int(remaining), float(reset)
    except ValueError:
        return None
    return remaining_n, reset_s, reset_s - _clock_offset(headers.get("Date"), now)


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
