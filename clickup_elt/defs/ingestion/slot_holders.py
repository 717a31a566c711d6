"""Which process holds each slot of a token pool, to free the slot of a step whose process died while
its run lives on.

On Celery workers the steps of one run execute in other processes than the run itself: a worker
killed mid-step leaves its slot claimed by a run that is still running (its step is handed to another
worker), so judging the run (clickup_elt.liveness) cannot free it. Each holder leaves its process and
a heartbeat in the instance's key-value store; a waiting step frees a slot whose holder is gone (same
host: the process no longer runs; another host: no heartbeat for liveness.STALE_S seconds).
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Iterator

import dagster as dg

from clickup_elt import liveness

PREFIX = "clickup_pool_holder/"


def _key(pool: str, run_id: str, claim_key: str) -> str:
    return f"{PREFIX}{pool}/{run_id}/{claim_key}"


def _write(instance: dg.DagsterInstance, key: str, process: str) -> None:
    instance.run_storage.set_cursor_values({key: json.dumps([process, int(time.time())])})


@contextlib.contextmanager
def holding(instance: dg.DagsterInstance, pool: str, run_id: str, claim_key: str) -> Iterator[None]:
    """Record this process as the slot's holder, with a heartbeat, for the duration of the block."""
    key, process, stop = _key(pool, run_id, claim_key), liveness.this_process(), threading.Event()

    def beat() -> None:
        while not stop.wait(liveness.BEAT_S):
            with contextlib.suppress(Exception):  # a missed beat only makes the holder look older
                _write(instance, key, process)

    _write(instance, key, process)
    thread = threading.Thread(target=beat, name=f"clickup-slot-{run_id[:8]}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            instance.run_storage.set_cursor_values({key: ""})


def _gone(stored: str | None, now: float) -> str | None:
    """Why the recorded holder is gone, or None while it may be alive (or nothing was recorded)."""
    if not stored:
        return None
    process, beat = json.loads(stored)
    if liveness.process_gone(process):
        return f"its process ({process.rsplit(':', 1)[0]}) is gone"
    if liveness.process_gone(process) is None and now - float(beat) > liveness.STALE_S:
        return f"its holder's heartbeat stopped {now - float(beat):.0f} s ago"
    return None


def release_dead_slots(instance: dg.DagsterInstance, pool: str, log: logging.Logger) -> bool:
    """Free the slots of `pool` whose holding process is gone; True if any was freed."""
    storage = instance.event_log_storage
    slots = [s for s in storage.get_concurrency_info(pool).claimed_slots if s.run_id and s.step_key]
    keys = {_key(pool, s.run_id, s.step_key): s for s in slots}
    stored = instance.run_storage.get_cursor_values(set(keys)) if keys else {}
    freed = False
    for key, slot in keys.items():
        reason = _gone(stored.get(key), time.time())
        if reason:
            storage.free_concurrency_slot_for_step(slot.run_id, slot.step_key)
            instance.run_storage.set_cursor_values({key: ""})
            log.warning(
                f"freed the slot of pool {pool} held by step {slot.step_key} of run {slot.run_id}: {reason}"
            )
            freed = True
    return freed
