"""Per-token rate limiting the way ClickUp applies it: a fixed window that starts with the token's first
request (after the previous window ended), `limit` requests per window.

Windows run on real (monotonic) time, so advancing the simulated clock does not refill them; the
reported `X-RateLimit-Reset` is the window's end in epoch seconds of the simulated clock, rounded the
way ClickUp's transcripts show it (first request of a 60 s window: `Date` + 61 s). Without a limit
(`limit` 0) every answer still carries the headers, as ClickUp's always do: a nominal limit of 10,000
that never runs out, and the reset of a 60 s window, so a client pacing on them never waits.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

NOMINAL_LIMIT = 10_000  # reported when unlimited (an Enterprise plan's limit), and never used up
NOMINAL_WINDOW_S = 60.0


@dataclass
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_s: int

    def headers(self) -> list[tuple[str, str]]:
        return [
            ("X-RateLimit-Limit", str(self.limit)),
            ("X-RateLimit-Remaining", str(self.remaining)),
            ("X-RateLimit-Reset", str(self.reset_s)),
        ]


class RateLimiter:
    def __init__(self, limit: int, window_s: float, clock, monotonic=time.monotonic):
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._monotonic = monotonic
        self._windows: dict[str, list] = {}  # token -> [start (monotonic), used, reset (s), clock offset]
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def check(self, token: str) -> Decision:
        """Count one request of `token` (always allowed when unlimited)."""
        now = self._monotonic()
        limited = self.enabled
        window_s = self.window_s if limited else NOMINAL_WINDOW_S
        with self._lock:
            window = self._windows.get(token)
            if window is None or now - window[0] >= window_s:
                reset = math.floor(self._clock.now_ms() / 1000) + math.ceil(window_s) + 1
                window = self._windows[token] = [now, 0, reset, self._clock.offset_ms]
            reset = window[2] + (self._clock.offset_ms - window[3]) // 1000  # the clock moved: so does reset
            if not limited:
                return Decision(True, NOMINAL_LIMIT, NOMINAL_LIMIT, reset)
            allowed = window[1] < self.limit
            if allowed:
                window[1] += 1
            remaining = self.limit - window[1]
        return Decision(allowed, self.limit, remaining, reset)

    def reset(self, token: str | None = None) -> None:
        with self._lock:
            if token is None:
                self._windows.clear()
            else:
                self._windows.pop(token, None)

    def configure(self, limit: int | None = None, window_s: float | None = None) -> None:
        with self._lock:
            if limit is not None:
                self.limit = limit
            if window_s is not None:
                self.window_s = window_s
            self._windows.clear()
