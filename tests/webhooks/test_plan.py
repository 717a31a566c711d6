"""Pending events into the smallest runs: per workspace, one for tasks, one for the hierarchy, one
for goals; a deleted task is recorded, not read again."""

import datetime as dt

from clickup_elt.webhooks.plan import COMMENTS, GOALS, HIERARCHY, MARGIN, TASKS, TIME_IN_STATUS, plan
from clickup_elt.webhooks.store import StoredEvent

T0 = dt.datetime(2026, 12, 1, 12, tzinfo=dt.timezone.utc)


def event(key, ws, name, kind, resource, minutes=0, field=None):
    return StoredEvent(key, ws, name, kind, resource, T0 + dt.timedelta(minutes=minutes), T0, field)


def ms(minutes):
    return int((T0 + dt.timedelta(minutes=minutes)).timestamp() * 1000)


def test_events_become_one_batch_per_workspace_and_kind():
    batches = plan(
        [
            event("a", "1", "taskUpdated", "task", "t1", minutes=5),
            event("b", "1", "taskCommentPosted", "task", "t2", minutes=1),
            event("c", "1", "taskUpdated", "task", "t3"),
            event("d", "1", "taskDeleted", "task", "t3", minutes=6),  # updated, then deleted
            event("e", "1", "listCreated", "list", "L1"),
            event("f", "1", "folderDeleted", "folder", "F1"),
            event("g", "2", "goalUpdated", "goal", "G1"),
            event("h", "2", "taskMoved", "task", "t9"),
        ]
    )
    kinds = {(b.workspace_id, b.kind): b for b in batches}
    assert set(kinds) == {("1", TASKS), ("1", HIERARCHY), ("2", GOALS), ("2", TASKS)}
    tasks = kinds[("1", TASKS)]
    assert tasks.task_ids == {"t1", "t2"} and tasks.deleted_task_ids == {"t3"}
    assert sorted(tasks.keys) == ["a", "b", "c", "d"]
    assert tasks.since == T0 - MARGIN  # the earliest change, less a margin
    assert kinds[("1", HIERARCHY)].keys == ["e", "f"]


def test_comments_and_time_in_status_are_read_only_where_events_changed_them():
    (batch,) = plan(
        [
            event("a", "1", "taskUpdated", "task", "renamed", minutes=1, field="name"),
            event("b", "1", "taskUpdated", "task", "commented", minutes=2, field="comment"),
            event("c", "1", "taskStatusUpdated", "task", "closed", minutes=3, field="status"),
            event("d", "1", "taskCreated", "task", "created", minutes=4, field="task_creation"),
            event("e", "1", "taskUpdated", "task", "renamed", minutes=5, field="name"),
            # no history item: nothing says what changed
            StoredEvent("f", "1", "taskUpdated", "task", "unknown", None, T0),
        ]
    )
    assert batch.reads[COMMENTS] == {"commented", "unknown"}
    assert batch.reads[TIME_IN_STATUS] == {"closed", "created", "unknown"}
    # the others are settled up to their newest event, to be recorded as current if it is their latest
    assert batch.settled(COMMENTS) == {"closed": ms(3), "created": ms(4), "renamed": ms(5)}
    assert batch.settled(TIME_IN_STATUS) == {"commented": ms(2), "renamed": ms(5)}
