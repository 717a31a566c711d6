"""Faults on demand, reproducible: whether request number N fails, and how, is drawn from (seed, N).

Kinds: `error` (a 500/502/503/504), `drop` (connection closed without an answer), `truncate` (the body
stops short of its Content-Length and the connection closes), `malformed` (a complete 200 whose JSON is
broken), `storm` (a run of 429s), plus added latency. Only `/api/v2` requests count; `/_sim/` never
fails. With one client sending requests one after another, the same seed gives the same faults.
"""

from __future__ import annotations

import threading

from clickup_elt.simulator.config import FaultConfig
from clickup_elt.simulator.mix import mix, unit

ERROR_STATUSES = (500, 502, 503, 504)


class Faults:
    def __init__(self, config: FaultConfig, seed: int):
        self._lock = threading.Lock()
        self._sim_seed = seed
        self.configure(config)

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            self.seed = config.seed if config.seed is not None else self._sim_seed
            self.requests = 0
            self._storm_left = 0
            self._forced: list[str] = []

    def update(self, **changes) -> FaultConfig:
        merged = {**self.config.to_dict(), **changes}
        self.configure(FaultConfig.from_dict(merged))
        return self.config

    def clear(self) -> None:
        self.configure(FaultConfig(seed=self.config.seed))

    def force(self, *kinds: str) -> None:
        """The next requests get these faults, in order (e.g. `force("drop", "error")`)."""
        for kind in kinds:
            if kind not in ("error", "drop", "truncate", "malformed", "storm"):
                raise ValueError(f"unknown fault kind {kind!r}")
        with self._lock:
            self._forced.extend(kinds)

    def draw(self, endpoint: str) -> tuple[str | None, float, int]:
        """(fault kind or None, added latency in seconds, error status) for the next request."""
        cfg = self.config
        with self._lock:
            if cfg.endpoints and endpoint not in cfg.endpoints and not self._forced:
                return None, 0.0, 0
            self.requests += 1
            n = self.requests
            if self._forced:
                kind = self._forced.pop(0)
                return kind, 0.0, ERROR_STATUSES[mix(self.seed, n, 3) % 4]
            if self._storm_left > 0:
                self._storm_left -= 1
                return "storm", self._latency(n), 0
            if cfg.storm_every and cfg.storm_length and n % cfg.storm_every == 0:
                self._storm_left = cfg.storm_length - 1
                return "storm", self._latency(n), 0
        draw = unit(self.seed, n, 1)
        kind = None
        for name, rate in (("drop", cfg.drop_rate), ("error", cfg.error_rate),
                           ("truncate", cfg.truncate_rate), ("malformed", cfg.malformed_rate)):
            if draw < rate:
                kind = name
                break
            draw -= rate
        return kind, self._latency(n), ERROR_STATUSES[mix(self.seed, n, 3) % 4]

    def _latency(self, n: int) -> float:
        cfg = self.config
        return (cfg.latency_ms + cfg.latency_jitter_ms * unit(self.seed, n, 2)) / 1000.0
