"""A Dagster pool per ClickUp token: at most `limit` steps use one token at a time, across all runs.

ClickUp's rate limit is per token, so two runs syncing workspaces of the same token at once would
halve each other's budget and earn 429s; two different tokens may go in parallel. A pool's name is
fixed when an asset is defined, but which token a step uses is only known at run time, so the step
claims a slot of the pool `clickup_api/<token fingerprint>` itself, through the instance's
concurrency storage: the same slots, limits (`concurrency.pools.default_limit` in dagster.yaml, or
`dagster instance concurrency set`) and UI page as any other pool.

A run that died holding a slot (see `clickup_elt.liveness`) is released by the next step that waits
for the slot. A wait has a deadline (CLICKUP_POOL_WAIT_MINUTES): past it, the step fails with a
message naming the runs holding the pool and the command that releases them. Later steps of the same
process that find the pool held by the same runs fail at once: a sync of many steps would otherwise
wait the deadline once per step before saying it cannot go on.

Each process paces a token on ClickUp's rate-limit headers, and learns the window's state only from
its own answers. Steps of one run may execute in different processes (Celery workers), so the holder
of a slot leaves the window's state in the instance's key-value store when it frees the slot, and the
next holder starts from it: its first request never lands in a window another process spent.
A few requests use a token without its slot (`GET /team` when `sync` starts or the discovery sensor
ticks), so a holder leaves OUTSIDE_SLOT_RESERVE requests of each window unspent for them.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator

import dagster as dg

from clickup_elt import liveness
from clickup_elt.clickup.client import pacer_for
from clickup_elt.defs.ingestion import slot_holders

POOL_PREFIX = "clickup_api/"
WINDOW_PREFIX = "clickup_rate_window/"  # key-value store: the last holder's view of a token's window
POLL_SECONDS = 2.0
DEFAULT_WAIT_MINUTES = 60.0
OUTSIDE_SLOT_RESERVE = 2  # two syncs starting at once each discover with one request per token

# pool -> the runs a wait of this process gave up on (cleared when the pool is claimed again)
_given_up: dict[str, set[str]] = {}


def pool_name(fingerprint: str) -> str:
    return POOL_PREFIX + fingerprint


def wait_deadline_s() -> float:
    value = os.environ.get("CLICKUP_POOL_WAIT_MINUTES") or str(DEFAULT_WAIT_MINUTES)
    try:
        return max(0.0, float(value)) * 60
    except ValueError:
        return DEFAULT_WAIT_MINUTES * 60


@contextlib.contextmanager
def token_pool(
    context: dg.AssetExecutionContext, fingerprint: str, poll_seconds: float = POLL_SECONDS
) -> Iterator[None]:
    """Hold a slot of the token's pool for the duration of the block (waits for one if needed),
    with the run's heartbeat beating meanwhile.

    Instances without concurrency storage (in-memory test instances) or without a limit for the
    pool run unthrottled, as Dagster does for any unlimited pool.
    """
    instance = context.instance
    storage = instance.event_log_storage
    run_id = context.run.run_id
    with liveness.beating(instance, run_id):
        if not storage.supports_global_concurrency_limits:
            yield
            return
        name = pool_name(fingerprint)
        if not _has_limit(instance, name):
            with contextlib.suppress(Exception):  # concurrent first use: another step created it
                storage.initialize_concurrency_limit_to_default(name)
            if not _has_limit(instance, name):  # no default limit configured: unlimited
                yield
                return
        claim_key = f"{context.op_execution_context.node_handle}[{fingerprint}]"
        try:
            _claim(context, name, run_id, claim_key, poll_seconds)
            _resume_window(instance, fingerprint)
            try:
                with slot_holders.holding(instance, name, run_id, claim_key):
                    yield
            finally:
                _save_window(instance, fingerprint)
        finally:
            storage.free_concurrency_slot_for_step(run_id, claim_key)


def _resume_window(instance: dg.DagsterInstance, fingerprint: str) -> None:
    pacer_for(fingerprint).reserve = OUTSIDE_SLOT_RESERVE
    key = WINDOW_PREFIX + fingerprint
    stored = instance.run_storage.get_cursor_values({key}).get(key)
    if stored:
        remaining, reset_at = json.loads(stored)
        pacer_for(fingerprint).resume(int(remaining), float(reset_at))


def _save_window(instance: dg.DagsterInstance, fingerprint: str) -> None:
    window = pacer_for(fingerprint).window()
    if window is not None:
        instance.run_storage.set_cursor_values({WINDOW_PREFIX + fingerprint: json.dumps(window)})


def _claim(
    context: dg.AssetExecutionContext, name: str, run_id: str, claim_key: str, poll_seconds: float
) -> None:
    instance = context.instance
    storage = instance.event_log_storage
    started = time.monotonic()
    waited = False
    while not storage.claim_concurrency_slot(name, run_id, claim_key, 0).is_claimed:
        holders = _holders(instance, name, run_id)
        if liveness.release_dead(instance, holders, context.log):
            continue
        if not holders and _has_free_slot(instance, name):
            # Dagster queued this step while the slot was held, and the holder freed it before the
            # step was in the queue, so no one hands it the slot: queue it again, now with a free slot
            storage.free_concurrency_slot_for_step(run_id, claim_key)
        # a dead step of a live run (a Celery worker lost): its slot only, the run goes on
        if slot_holders.release_dead_slots(instance, name, context.log):
            continue
        if holders and set(holders) <= _given_up.get(name, set()):
            raise dg.Failure(description=_stuck_message(instance, name, holders, again=True))
        if not waited:
            context.log.info(
                f"waiting for a slot of pool {name}: run(s) {', '.join(holders)} are using this token"
            )
            waited = True
        if time.monotonic() - started > wait_deadline_s():
            _given_up[name] = set(holders)
            raise dg.Failure(description=_stuck_message(instance, name, holders))
        time.sleep(poll_seconds)
    _given_up.pop(name, None)


def _has_free_slot(instance: dg.DagsterInstance, name: str) -> bool:
    info = instance.event_log_storage.get_concurrency_info(name)
    return info.slot_count > len(info.claimed_slots)


def _holders(instance: dg.DagsterInstance, name: str, run_id: str) -> list[str]:
    info = instance.event_log_storage.get_concurrency_info(name)
    return sorted({slot.run_id for slot in info.claimed_slots if slot.run_id != run_id})


def _stuck_message(instance: dg.DagsterInstance, name: str, holders: list[str], again: bool = False) -> str:
    described = []
    for run_id in holders:
        run = instance.get_run_by_id(run_id)
        what = (
            f"{run.job_name}, {run.status.value}, workspace {run.tags.get('clickup/workspaces', '?')}"
            if run
            else "unknown run"
        )
        described.append(f"{run_id} ({what})")
    waited = "an earlier step gave up waiting" if again else "gave up waiting"
    return (
        f"{waited} {wait_deadline_s() / 60:g} min for a slot of pool {name}, held by "
        f"{'; '.join(described) or 'no run'}. If that run is not really running, release it: "
        f"`clickup-elt release {holders[0] if holders else '<run id>'}`"
    )


def _has_limit(instance: dg.DagsterInstance, name: str) -> bool:
    return name in {pool.name for pool in instance.event_log_storage.get_pool_limits()}
