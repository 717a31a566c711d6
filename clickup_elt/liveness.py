"""Telling a dead sync run from a slow one, and freeing what a dead run holds.

A run killed without a chance to clean up (`kill -9`, an OOM kill, a closed terminal, a reboot, the
whole `clickup-elt dev` process group stopped) stays STARTED in Dagster's storage and keeps its slot
of the `clickup_api/<token>` pool, so every later run of that token would wait for it forever.

While one of its steps runs, a sync run carries two tags: `clickup/process` (host, pid and the
process's start time) and `clickup/heartbeat` (refreshed every BEAT_S seconds). A STARTED run is dead
when its process is gone (same host: the pid no longer runs, or runs another program) or, seen from
another host, when its heartbeat is older than STALE_S. A dead run is marked failed (the sync-failure
sensor then writes it into the sync log) and its pool slots are freed. Steps on Celery workers only
beat: a dead worker's step is run again elsewhere, and its slot is freed by slot_holders.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import dagster as dg

PROCESS_TAG = "clickup/process"
HEARTBEAT_TAG = "clickup/heartbeat"
BEAT_S = 30.0
STALE_S = 180.0
LIVE_STATUSES = (dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING)


def _started_ticks(pid: int) -> str | None:
    """When a process started (clock ticks since boot), to tell a reused pid from the original."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def this_process() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_started_ticks(pid) or '-'}"


def on_worker() -> bool:
    """Whether steps run on Celery workers (CLICKUP_EXECUTOR=celery), apart from their run."""
    return (os.environ.get("CLICKUP_EXECUTOR") or "").strip().lower() == "celery"


def process_gone(identity: str) -> bool | None:
    """True when the process named by `identity` no longer runs; None when it is on another host."""
    host, _, rest = identity.partition(":")
    pid, _, ticks = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # it runs, as another user
    current = _started_ticks(int(pid))
    return ticks not in ("-", "") and current is not None and current != ticks


@contextlib.contextmanager
def beating(instance: dg.DagsterInstance, run_id: str) -> Iterator[None]:
    """Tag the run with this process and keep its heartbeat fresh for the duration of the block."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(BEAT_S):
            with contextlib.suppress(Exception):  # a missed beat only makes the run look older
                instance.add_run_tags(run_id, {HEARTBEAT_TAG: str(int(time.time()))})

    tags = {HEARTBEAT_TAG: str(int(time.time()))}
    if not on_worker():  # a worker is not the run: its death leaves the run alive (slot_holders)
        tags[PROCESS_TAG] = this_process()
    instance.add_run_tags(run_id, tags)
    thread = threading.Thread(target=beat, name=f"clickup-heartbeat-{run_id[:8]}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()


def why_dead(run: dg.DagsterRun, now: float | None = None) -> str | None:
    """Why a run that still looks alive is not, or None while it may be alive."""
    if run.status not in LIVE_STATUSES:
        return None
    identity = run.tags.get(PROCESS_TAG)
    if not identity:
        return None  # never reached a sync step: nothing to judge by
    gone = process_gone(identity)
    if gone:
        return f"its process ({identity.rsplit(':', 1)[0]}) is gone"
    beat = run.tags.get(HEARTBEAT_TAG, "")
    age = (now or time.time()) - float(beat) if beat.isdigit() else None
    if gone is None and age is not None and age > STALE_S:
        return f"its heartbeat stopped {age:.0f} s ago"
    return None


def release(instance: dg.DagsterInstance, run_id: str, reason: str) -> bool:
    """Mark a run that cannot finish as failed and free its pool slots; True if it was still live."""
    run = instance.get_run_by_id(run_id)
    was_live = run is not None and run.status in LIVE_STATUSES
    if was_live and run is not None:
        instance.report_run_failed(run, f"sync run {run_id} ended without finishing: {reason}")
    storage = instance.event_log_storage
    if storage.supports_global_concurrency_limits:
        storage.free_concurrency_slots_for_run(run_id)
    return was_live


def release_dead(
    instance: dg.DagsterInstance, run_ids: Iterable[str], log: logging.Logger | None = None
) -> list[str]:
    """Release each of `run_ids` that is dead or already over but still holds slots."""
    released = []
    for run_id in set(run_ids):
        run = instance.get_run_by_id(run_id)
        reason = (
            "it no longer exists"
            if run is None
            else (f"it is {run.status.value} but held its slots" if run.is_finished else why_dead(run))
        )
        if reason:
            release(instance, run_id, reason)
            released.append(run_id)
            if log is not None:
                log.warning(f"released run {run_id}: {reason}")
    return released
