"""A Dagster pool per ClickUp token: at most `limit` steps use one token at a time, across all runs.

ClickUp's rate limit is per token, so two runs syncing workspaces of the same token at once would
halve each other's budget and earn 429s; two different tokens may go in parallel. A pool's name is
fixed when an asset is defined, but which token a step uses is only known at run time, so the step
claims a slot of the pool `clickup_api/<token fingerprint>` itself, through the instance's
concurrency storage: the same slots, limits (`concurrency.pools.default_limit` in dagster.yaml, or
`dagster instance concurrency set`) and UI page as any other pool.
"""

from __future__ import annotations

import contextlib
import time

POOL_PREFIX = "clickup_api/"
POLL_SECONDS = 2.0


def pool_name(fingerprint: str) -> str:
    return POOL_PREFIX + fingerprint


@contextlib.contextmanager
def token_pool(context, fingerprint: str, poll_seconds: float = POLL_SECONDS):
    """Hold a slot of the token's pool for the duration of the block (waits for one if needed).

    Instances without concurrency storage (in-memory test instances) or without a limit for the
    pool run unthrottled, as Dagster does for any unlimited pool.
    """
    storage = context.instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        yield
        return
    name = pool_name(fingerprint)
    if not _has_limit(storage, name):
        try:
            storage.initialize_concurrency_limit_to_default(name)
        except Exception:  # noqa: BLE001 - concurrent first use: another step created the pool
            pass
        if not _has_limit(storage, name):  # no default limit configured: unlimited
            yield
            return
    run_id = context.run.run_id
    claim_key = f"{context.op_execution_context.node_handle}[{fingerprint}]"
    waited = False
    try:
        while not storage.claim_concurrency_slot(name, run_id, claim_key, 0).is_claimed:
            if not waited:
                context.log.info(f"waiting for a slot of pool {name}: another run is using this token")
                waited = True
            time.sleep(poll_seconds)
        yield
    finally:
        storage.free_concurrency_slot_for_step(run_id, claim_key)


def _has_limit(storage, name: str) -> bool:
    return name in {pool.name for pool in storage.get_pool_limits()}
