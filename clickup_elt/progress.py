"""Progress of long loads: records and requests so far, rate, and the time left when it can be told.

A full sync of a large workspace reads for many minutes (one comment request per task), and a user
must be able to tell progress from a hang. Each load keeps a `Progress`; while a step runs, a
`Reporter` writes a line per active load into the run's log every CLICKUP_PROGRESS_SECONDS (30) and,
when `clickup-elt sync` runs in a terminal, redraws a progress bar on it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

DEFAULT_INTERVAL_S = 30.0
BAR_REDRAW_S = 0.5
_terminal = {"bar": False}


def show_bar_on_terminal(enabled: bool) -> None:
    """`clickup-elt sync` turns the terminal bar on when its stderr is a terminal."""
    _terminal["bar"] = enabled and sys.stderr.isatty()


def bar_shown() -> bool:
    return _terminal["bar"]


def interval_s() -> float:
    try:
        return max(1.0, float(os.environ.get("CLICKUP_PROGRESS_SECONDS") or DEFAULT_INTERVAL_S))
    except ValueError:
        return DEFAULT_INTERVAL_S


@dataclass
class Progress:
    """One load's progress. `total` units (tasks whose comments are read, expected records) when
    known in advance; `done` counts them, `records` counts the rows streamed."""

    label: str
    unit: str = "records"
    total: int | None = None
    done: int = 0
    records: int = 0
    stats: object = None  # the load's RequestStats, read for the request count
    started: float = field(default_factory=time.monotonic)
    finished: bool = False

    @property
    def requests(self) -> int:
        return getattr(self.stats, "requests", 0)

    def count(self, rows: Iterable) -> Iterator:
        """`rows`, counting each as it streams."""
        for row in rows:
            self.records += 1
            if self.unit == "records":
                self.done += 1
            yield row

    def step(self, items: Iterable) -> Iterator:
        """`items` (the units of work), counting each as it is taken."""
        for item in items:
            yield item
            self.done += 1

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.done / elapsed
        parts = [f"{self.records:,} records", f"{self.requests:,} requests"]
        if self.unit != "records":
            parts.insert(0, f"{self.done:,}{f' of {self.total:,}' if self.total else ''} {self.unit}")
        parts.append(f"{rate:,.0f} {self.unit}/s")
        if self.total and 0 < self.done < self.total and rate > 0:
            left = (self.total - self.done) / rate
            parts.append(f"{self.done / self.total:.0%}, about {_duration(left)} left")
        return f"{self.label}: " + ", ".join(parts)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class Reporter:
    """Logs each unfinished load's line every `interval` seconds (and draws the terminal bar)."""

    def __init__(self, loads: list[Progress], log: logging.Logger, interval: float | None = None) -> None:
        self._loads = loads
        self._log = log
        self._interval = interval or interval_s()
        self._stop = threading.Event()

    def _run(self) -> None:
        next_log = time.monotonic() + self._interval
        tick = BAR_REDRAW_S if _terminal["bar"] else self._interval
        while not self._stop.wait(tick):
            self._draw_bar()
            if time.monotonic() >= next_log:
                next_log += self._interval
                for p in self._loads:
                    if not p.finished and (p.records or p.requests):
                        self._log.info(p.line())

    def _draw_bar(self) -> None:
        """Finished loads leave a line on the terminal; the first unfinished one is the bar."""
        if not _terminal["bar"]:
            return
        for p in self._loads:
            if p.finished and p not in self._kept:
                self._kept.append(p)
                _draw(p.line(), keep=True)
        active = [p for p in self._loads if not p.finished and (p.records or p.requests)]
        _draw(active[0].line() if active else "")

    @contextlib.contextmanager
    def running(self) -> Iterator[Reporter]:
        self._kept: list[Progress] = []
        thread = threading.Thread(target=self._run, name="clickup-progress", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join(timeout=2)
            self._draw_bar()


def _draw(text: str, keep: bool = False) -> None:
    width = shutil.get_terminal_size((100, 20)).columns - 1
    sys.stderr.write("\r\x1b[K" + text[:width] + ("\n" if keep else ""))
    sys.stderr.flush()
