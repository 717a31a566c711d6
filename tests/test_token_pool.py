"""A token's pool in real Postgres instance storage: a freed slot always reaches the step waiting for it."""

import logging
from types import SimpleNamespace

import dagster as dg
import pytest

from clickup_elt import settings
from clickup_elt.defs.ingestion import token_pool


@pytest.fixture
def instance(database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    for name, value in settings.dagster_storage_env(database_url, False).items():
        monkeypatch.setenv(name, value)
    settings.ensure_dagster_home()
    with dg.DagsterInstance.get() as opened:
        yield opened


def test_a_slot_freed_just_before_a_step_queued_for_it_is_still_claimed(instance, monkeypatch):
    """Two runs on one token: the second looked while the first held the slot, and the first freed it
    before the second's step was in Dagster's queue, so the queue never handed it the slot (a sync
    once waited on an idle token until its deadline)."""
    monkeypatch.setenv("CLICKUP_POOL_WAIT_MINUTES", "0.1")
    storage = instance.event_log_storage
    name = token_pool.pool_name("tok_race")
    storage.set_concurrency_slots(name, 1)
    assert storage.claim_concurrency_slot(name, "run-a", "tasks[tok_race]", 0).is_claimed
    storage.free_concurrency_slot_for_step("run-a", "tasks[tok_race]")
    # what claim_concurrency_slot does for run b after it saw no unassigned slot, a moment too late
    storage.add_pending_step(
        concurrency_key=name, run_id="run-b", step_key="tasks[tok_race]", priority=0, should_assign=False
    )
    context = SimpleNamespace(instance=instance, log=logging.getLogger("test"))

    token_pool._claim(context, name, "run-b", "tasks[tok_race]", poll_seconds=0.1)

    assert {(s.run_id, s.step_key) for s in storage.get_concurrency_info(name).claimed_slots} == {
        ("run-b", "tasks[tok_race]")
    }
