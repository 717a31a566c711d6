"""The delivery queue: every change's events go out in the background, never inside the request or
mutation that caused them, in the order the changes happened.

Each webhook has its own lane (a queue and a thread), so a slow or failing receiver delays only its
own events. A delivery is attempted up to `attempts` times (ClickUp: five), waiting `backoff_s`,
then twice as long, and so on (at most `backoff_max_s`), between attempts; then it is dropped and the
webhook's `fail_count` grows (`registry`). A 401 or 410 answer suspends the webhook at once; a
suspended or deleted webhook's queued deliveries are discarded. Faults (`faults`) drop a delivery
when it is queued, send it twice, or hold it back until the lane's next delivery went out (or the
lane stayed idle `reorder_hold_s`, or a drain asks). `drain(timeout)` waits until every lane is
empty; `log()` lists recent deliveries with their outcome.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field, fields

from clickup_simulator.webhooks import sending

STOP = object()  # a deleted webhook's lane: nothing more to send


@dataclass
class DeliverySettings:
    timeout_s: float = 7.0  # an answer slower than this is a failed attempt
    attempts: int = 5  # attempts per delivery before it is dropped and counted as a failure
    backoff_s: float = 1.0  # wait before the second attempt; doubles after each failure
    backoff_max_s: float = 30.0
    reorder_hold_s: float = 1.0  # a held-back delivery goes out after the lane idled this long
    log_size: int = 1000  # recent deliveries kept for `log()`

    def check(self) -> None:
        if self.timeout_s <= 0 or self.attempts < 1 or self.backoff_s < 0 or self.log_size < 1:
            raise ValueError("timeout_s > 0, attempts >= 1, backoff_s >= 0 and log_size >= 1")


@dataclass
class Delivery:
    hook_id: str
    body: bytes
    fault: str | None
    record: dict = field(default_factory=dict)


class _Lane:
    def __init__(self, owner: Deliveries, hook_id: str):
        self.owner, self.hook_id = owner, hook_id
        self.cond = threading.Condition()
        self.queue: deque[Delivery] = deque()
        self.held: list[Delivery] = []
        self.held_since = 0.0
        self.flush = False
        self.closed = False
        self.thread = threading.Thread(target=self._run, name=f"webhook-{hook_id[:8]}", daemon=True)
        self.thread.start()

    def put(self, item: Delivery) -> None:
        with self.cond:
            self.queue.append(item)
            self.cond.notify()

    def wake(self, flush: bool | None = None, close: bool = False) -> None:
        with self.cond:
            if flush is not None:
                self.flush = flush
            self.closed = self.closed or close
            self.cond.notify()

    def _next(self) -> Delivery | None | object:
        """The next delivery to send; None: time to release the held ones; STOP: the lane is done."""
        hold_s = self.owner.settings.reorder_hold_s
        with self.cond:
            while True:
                if self.queue:
                    return self.queue.popleft()
                if self.held:
                    idle = time.monotonic() - self.held_since
                    if self.flush or self.closed or idle >= hold_s:
                        return None
                    self.cond.wait(hold_s - idle)
                elif self.closed:
                    return STOP
                else:
                    self.cond.wait()

    def _run(self) -> None:
        while (item := self._next()) is not STOP:
            if item is not None and item.fault == "reorder" and not self.closed:
                if not self.held:
                    self.held_since = time.monotonic()
                item.record["outcome"] = "held"
                self.held.append(item)
                continue
            if item is not None:
                self.owner._deliver(item)
            released, self.held = self.held, []
            for held in released:
                self.owner._deliver(held)


class Deliveries:
    def __init__(self, registry, faults, clock):
        self.registry, self.faults, self.clock = registry, faults, clock
        self.settings = DeliverySettings()
        self._lock = threading.Condition()
        self._lanes: dict[str, _Lane] = {}
        self._log: deque[dict] = deque(maxlen=self.settings.log_size)
        self._numbers = 0
        self.pending = 0

    def configure(self, **settings) -> DeliverySettings:
        known = {f.name for f in fields(DeliverySettings)}
        unknown = set(settings) - known
        if unknown:
            raise ValueError(f"unknown delivery settings: {sorted(unknown)}")
        merged = DeliverySettings(**{**self.settings.__dict__, **settings})
        merged.check()
        with self._lock:
            self.settings = merged
            if merged.log_size != self._log.maxlen:
                self._log = deque(self._log, maxlen=merged.log_size)
        return merged

    # -- queueing (called by the emitter, in the order of the changes) -----------------------------
    def enqueue(self, hook, event: str, body: bytes, summary: dict) -> dict:
        with self._lock:
            self._numbers += 1
            number = self._numbers
            fault = self.faults.draw(number)
            record = {
                "number": number,
                "webhook_id": hook.id,
                "event": event,
                **summary,
                "fault": fault,
                "outcome": "dropped" if fault == "drop" else "queued",
                "status": None,
                "error": None,
                "attempts": 0,
                "copies": 0,
                "queued_at": self.clock.now_ms(),
                "sent_at": None,
                "took_ms": None,
            }
            self._log.append(record)
            if fault == "drop":
                return record
            self.pending += 1
            lane = self._lanes.get(hook.id)
            if lane is None:
                lane = self._lanes[hook.id] = _Lane(self, hook.id)
        lane.put(Delivery(hook.id, body, fault, record))
        return record

    def forget(self, hook_id: str) -> None:
        """The webhook was deleted: its lane discards what is queued and stops."""
        with self._lock:
            lane = self._lanes.pop(hook_id, None)
        if lane is not None:
            lane.wake(close=True)

    # -- sending (lane threads) ---------------------------------------------------------------------
    def _deliver(self, item: Delivery) -> None:
        record = item.record
        try:
            self._attempts(item, record)
        finally:
            with self._lock:
                self.pending -= 1
                self._lock.notify_all()

    def _attempts(self, item: Delivery, record: dict) -> None:
        settings = self.settings
        delay = settings.backoff_s
        for attempt in range(1, settings.attempts + 1):
            if attempt > 1:
                time.sleep(min(delay, settings.backoff_max_s))
                delay *= 2
            hook = self.registry.get(item.hook_id)
            if hook is None or not hook.receiving:
                record["outcome"] = "discarded" if record["attempts"] == 0 else "suspended"
                return
            status, error, took = sending.post(hook.endpoint, item.body, hook.secret, settings.timeout_s)
            record.update(
                attempts=attempt,
                status=status,
                error=error,
                sent_at=self.clock.now_ms(),
                took_ms=round(took * 1000),
            )
            if error is None and status is not None and 200 <= status < 300:
                record["outcome"], record["copies"] = "delivered", 1
                self.registry.delivered(hook.id)
                if item.fault == "duplicate":
                    sending.post(hook.endpoint, item.body, hook.secret, settings.timeout_s)
                    record["copies"] = 2
                return
            if error is None and status in (401, 410):
                record["outcome"] = "suspended"
                self.registry.suspend(hook.id)
                return
        record["outcome"] = "failed"
        self.registry.failed(item.hook_id)

    # -- waiting and reading ------------------------------------------------------------------------
    def drain(self, timeout: float = 30.0) -> bool:
        """Wait until every queued delivery went out or was given up (held ones are released now);
        False if some are still pending after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._lock:
            lanes = list(self._lanes.values())
        for lane in lanes:
            lane.wake(flush=True)
        try:
            with self._lock:
                while self.pending:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    self._lock.wait(left)
                return True
        finally:
            for lane in lanes:
                lane.wake(flush=False)

    def log(self, webhook_id: str | None = None, event: str | None = None) -> list[dict]:
        """Recent deliveries, oldest first, optionally of one webhook and/or event."""
        with self._lock:
            return [
                dict(r)
                for r in self._log
                if (webhook_id is None or r["webhook_id"] == webhook_id)
                and (event is None or r["event"] == event)
            ]

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()
