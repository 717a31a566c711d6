"""The simulator's clock: wall clock plus an offset that `advance` grows.

With `now_ms` pinned the clock is frozen at that instant (plus whatever `advance` added), so the same
seed and anchor give byte-identical answers, including the clock-dependent parts (time in status of the
current status, running timers, the default 30-day time-entry window, rate-limit reset headers).
"""

from __future__ import annotations

import threading
import time


class SimClock:
    def __init__(self, now_ms: int | None = None):
        self.frozen = now_ms is not None
        self._base = now_ms if now_ms is not None else 0
        self._offset = 0
        self._lock = threading.Lock()
        self.anchor_ms = self.now_ms()  # generated history ends here

    def now_ms(self) -> int:
        base = self._base if self.frozen else int(time.time() * 1000)
        return base + self._offset

    @property
    def offset_ms(self) -> int:
        """How far `advance` has moved the clock so far."""
        return self._offset

    def advance(self, seconds: float) -> int:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += int(round(seconds * 1000))
        return self.now_ms()

    def stamp(self, previous: int | None = None) -> int:
        """Now, but strictly later than `previous`: an edit always moves `date_updated`."""
        now = self.now_ms()
        if previous is not None and now <= previous:
            return previous + 1
        return now
