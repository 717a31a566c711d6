"""Delivery faults: a webhook delivery dropped (never sent), duplicated (sent twice) or reordered (held
back and sent after later ones), as receivers must expect from ClickUp. Each delivery is numbered when
it is queued; whether it meets a fault comes from (seed, number) alone, so a run repeats."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, fields

from clickup_simulator.generation.mix import unit

KINDS = ("drop", "duplicate", "reorder")


@dataclass
class WebhookFaultConfig:
    drop_rate: float = 0.0  # fraction of deliveries never sent
    duplicate_rate: float = 0.0  # ...sent twice, the same body and signature
    reorder_rate: float = 0.0  # ...held back until a later delivery of the same webhook went out
    seed: int | None = None  # None: the simulator's seed

    def check(self) -> None:
        rates = (self.drop_rate, self.duplicate_rate, self.reorder_rate)
        if any(not 0 <= r <= 1 for r in rates) or sum(rates) > 1:
            raise ValueError("the webhook fault rates lie in [0, 1] and add up to at most 1")


class WebhookFaults:
    """`update(drop_rate=, duplicate_rate=, reorder_rate=, seed=)`, `clear()`, `config`."""

    def __init__(self, seed: int):
        self._seed = seed
        self._lock = threading.Lock()
        self.config = WebhookFaultConfig()

    def update(self, **settings) -> WebhookFaultConfig:
        known = {f.name for f in fields(WebhookFaultConfig)}
        unknown = set(settings) - known
        if unknown:
            raise ValueError(f"unknown webhook fault settings: {sorted(unknown)}")
        with self._lock:
            merged = WebhookFaultConfig(**{**asdict(self.config), **settings})
            merged.check()
            self.config = merged
            return merged

    def clear(self) -> WebhookFaultConfig:
        with self._lock:
            self.config = WebhookFaultConfig()
            return self.config

    def to_dict(self) -> dict:
        return asdict(self.config)

    def draw(self, number: int) -> str | None:
        """The fault of delivery `number`, if any."""
        c = self.config
        if not (c.drop_rate or c.duplicate_rate or c.reorder_rate):
            return None
        u = unit(self._seed if c.seed is None else c.seed, 0x3EBF, number)
        for kind, rate in zip(KINDS, (c.drop_rate, c.duplicate_rate, c.reorder_rate), strict=True):
            if u < rate:
                return kind
            u -= rate
        return None
