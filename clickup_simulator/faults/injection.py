"""Faults on demand, reproducible: whether request number N fails, and how, is drawn from (seed, N).

Kinds: `error` (a 500/502/503/504), `drop` (connection closed without an answer), `truncate` (the body
stops short of its Content-Length and the connection closes), `malformed` (a complete 200 whose JSON is
broken), `missing_key` (a 200 JSON without the key its endpoint must have), `html` (a 200 text/html
page from something in between), `slow` (held back `slow_ms` before it is sent), `storm` (a run of
429s, with or without rate-limit headers), bursts (a run of `error`s), plus added latency. Only
`/api/v2` requests count; `/_sim/` never fails. With one client sending requests one after another, the
same seed gives the same faults. What each kind looks like on the wire: `answers`.
"""

from __future__ import annotations

import threading

from clickup_simulator.config import FaultConfig
from clickup_simulator.generation.mix import mix, unit

ERROR_STATUSES = (500, 502, 503, 504)
KINDS = ("error", "drop", "truncate", "malformed", "storm", "missing_key", "html", "slow")


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
            self._burst_left = 0
            self._forced: list[str] = []

    def update(self, **changes) -> FaultConfig:
        merged = {**self.config.to_dict(), **changes}
        self.configure(FaultConfig.from_dict(merged))
        return self.config

    def clear(self) -> None:
        self.configure(FaultConfig(seed=self.config.seed))

    def force(self, *kinds: str) -> None:
        """The next requests get these faults, in order (e.g. `force("drop", "error")`), whatever the
        endpoint. Kinds: error, drop, truncate, malformed, storm, missing_key, html, slow."""
        for kind in kinds:
            if kind not in KINDS:
                raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(KINDS)}")
        with self._lock:
            self._forced.extend(kinds)

    def draw(self, endpoint: str) -> tuple[str | None, float, int]:
        """(fault kind or None, seconds to wait before answering, error status) for the next request."""
        cfg = self.config
        with self._lock:
            if cfg.endpoints and endpoint not in cfg.endpoints and not self._forced:
                return None, 0.0, 0
            self.requests += 1
            n = self.requests
            status = ERROR_STATUSES[mix(self.seed, n, 3) % 4]
            if self._forced:
                kind = self._forced.pop(0)
                return kind, cfg.slow_ms / 1000.0 if kind == "slow" else 0.0, status
            run = self._run(n)
            if run:
                return run, self._latency(n), status
        draw = unit(self.seed, n, 1)
        kind = None
        for name, rate in (
            ("drop", cfg.drop_rate),
            ("error", cfg.error_rate),
            ("truncate", cfg.truncate_rate),
            ("malformed", cfg.malformed_rate),
            ("missing_key", cfg.missing_key_rate),
            ("html", cfg.html_rate),
            ("slow", cfg.slow_rate),
        ):
            if draw < rate:
                kind = name
                break
            draw -= rate
        latency = self._latency(n) + (cfg.slow_ms / 1000.0 if kind == "slow" else 0.0)
        return kind, latency, status

    def _run(self, n: int) -> str | None:
        """The 429 storm or 5xx burst request `n` belongs to, if any (a run never starts inside another)."""
        cfg = self.config
        if self._storm_left > 0:
            self._storm_left -= 1
            return "storm"
        if self._burst_left > 0:
            self._burst_left -= 1
            return "error"
        if cfg.storm_every and cfg.storm_length and n % cfg.storm_every == 0:
            self._storm_left = cfg.storm_length - 1
            return "storm"
        if cfg.burst_every and cfg.burst_length and n % cfg.burst_every == 0:
            self._burst_left = cfg.burst_length - 1
            return "error"
        return None

    def _latency(self, n: int) -> float:
        cfg = self.config
        return (cfg.latency_ms + cfg.latency_jitter_ms * unit(self.seed, n, 2)) / 1000.0
