"""Deliveries into stored events: ClickUp's signature scheme and the keys that make storing them
idempotent (a history item is one change; an event without items is keyed by its resource)."""

import json

import pytest

from clickup_elt.warehouse import db
from clickup_elt.webhooks import events, signatures, store
from pg import query

VECTOR_BODY = b'{"webhook_id":"7689a169-a000-4985-8676-6902b96d6627","event":"taskCreated","task_id":"c0j"}'
VECTOR_SIGNATURE = "4830bf524f6e29a3e8da953936c6f21c1fea2b9669b825d3e1be293ef3416c8c"
HOOK = store.Webhook(
    "9001", "hook-1", "https://sync.example.com/webhooks/clickup", "s3cret", "tok_0123456789", "active"
)


def test_the_documented_signature_verifies_and_nothing_else_does():
    assert signatures.sign("secret", VECTOR_BODY) == VECTOR_SIGNATURE
    assert signatures.verify("secret", VECTOR_BODY, VECTOR_SIGNATURE)
    assert signatures.verify("secret", VECTOR_BODY, VECTOR_SIGNATURE.upper())
    assert not signatures.verify("secret", VECTOR_BODY + b" ", VECTOR_SIGNATURE)  # not re-serialised
    assert not signatures.verify("other", VECTOR_BODY, VECTOR_SIGNATURE)
    assert not signatures.verify("secret", VECTOR_BODY, None)


def updated(item_ids, event="taskUpdated", task="t1"):
    return {
        "event": event,
        "task_id": task,
        "webhook_id": "hook-1",
        "history_items": [{"id": i, "date": "1764547200000", "field": "status"} for i in item_ids],
    }


def test_keys_follow_history_items_or_the_resource():
    hook, found = events.parse(updated(["h1", "h2"]))
    assert hook == "hook-1" and [e.key for e in found] == ["hook-1:h1", "hook-1:h2"]
    assert found[0].occurred_ms == 1764547200000 and found[0].resource_type == "task"
    _, (deleted,) = events.parse({"event": "taskDeleted", "task_id": "t9", "webhook_id": "hook-1"})
    assert deleted.key == "hook-1:taskDeleted:t9" and not deleted.by_history_item
    _, (folder,) = events.parse({"event": "folderUpdated", "folder_id": "77", "webhook_id": "hook-1"})
    assert folder.resource_type == "folder"
    for bad in ([], {"event": "taskUpdated"}, {"event": "taskUpdated", "webhook_id": "w"}):
        with pytest.raises(events.MalformedEvent):
            events.parse(bad)


def test_a_replayed_delivery_is_stored_once(database_url):
    db.ensure_raw_schema(database_url)
    payload = updated(["h1", "h2"])
    with db.connection(database_url) as conn:
        assert store.record(conn, HOOK, events.parse(payload)[1], payload) == 2
        # the same change again: ClickUp's companion event (taskStatusUpdated) or a retry
        again = updated(["h1"], event="taskStatusUpdated")
        assert store.record(conn, HOOK, events.parse(again)[1], again) == 0
    rows = query(
        database_url, "select event_key, deliveries, workspace_id from clickup_raw.webhook_events order by 1"
    )
    assert rows == [("hook-1:h1", 2, "9001"), ("hook-1:h2", 1, "9001")]
    stored = query(database_url, "select payload from clickup_raw.webhook_events limit 1")[0][0]
    assert stored["task_id"] == "t1" and json.dumps(stored)


def test_an_event_without_history_items_reopens_once_applied(database_url):
    db.ensure_raw_schema(database_url)
    folder = {"event": "folderUpdated", "folder_id": "77", "webhook_id": "hook-1"}
    with db.connection(database_url) as conn:
        store.record(conn, HOOK, events.parse(folder)[1], folder)
        (pending,) = store.pending(conn)
        store.take(conn, [pending.key], "batch-1")
        assert store.record(conn, HOOK, events.parse(folder)[1], folder) == 0  # still in its batch
        assert store.pending(conn) == []
        store.applied(conn, "batch-1")
        # the folder changed again later: the same key, but a change to apply
        store.record(conn, HOOK, events.parse(folder)[1], folder)
        assert [e.key for e in store.pending(conn)] == ["hook-1:folderUpdated:77"]


def test_a_batch_waits_to_start_only_behind_a_batch_not_started_yet(database_url):
    """One batch per workspace may wait in the queue behind the one running (its runs take turns):
    a run queued, starting or not created yet holds the workspace back, a started one does not; a
    succeeded run's events are applied and a failed run's go back to pending."""
    import logging
    import uuid

    import dagster as dg

    from clickup_elt.defs.ingestion.webhook_sensor import BATCH_TAG, settle

    db.ensure_raw_schema(database_url)
    instance = dg.DagsterInstance.ephemeral()
    statuses = {
        "9001": dg.DagsterRunStatus.STARTING,  # launched, its process not up yet
        "9002": dg.DagsterRunStatus.STARTED,
        "9003": dg.DagsterRunStatus.SUCCESS,
        "9004": dg.DagsterRunStatus.FAILURE,
        "9005": None,  # requested a moment ago; its run does not exist yet
    }
    with db.connection(database_url) as conn:
        for ws, status in statuses.items():
            hook = store.Webhook(ws, f"hook-{ws}", HOOK.endpoint, "s", HOOK.token_fingerprint, "active")
            payload = {**updated([f"h{ws}"], task=f"t{ws}"), "webhook_id": hook.webhook_id}
            store.record(conn, hook, events.parse(payload)[1], payload)
            batch = uuid.uuid4().hex
            store.take(conn, [f"hook-{ws}:h{ws}"], batch)
            if status is not None:
                instance.run_storage.add_run(
                    dg.DagsterRun(job_name="clickup_changed_tasks", status=status, tags={BATCH_TAG: batch})
                )
        assert settle(instance, conn, logging.getLogger(__name__)) == {"9001", "9005"}
    rows = query(
        database_url,
        "select workspace_id, applied_at is not null, batch_id is not null "
        "from clickup_raw.webhook_events order by 1",
    )
    assert rows == [
        ("9001", False, True),
        ("9002", False, True),
        ("9003", True, True),
        ("9004", False, False),
        ("9005", False, True),
    ]
