"""The events a ClickUp webhook can subscribe to, in the order ClickUp lists them, and which specific
task event accompanies the `taskUpdated` of each kind of history item."""

from __future__ import annotations

ALL = (
    "taskCreated",
    "taskUpdated",
    "taskDeleted",
    "taskPriorityUpdated",
    "taskStatusUpdated",
    "taskAssigneeUpdated",
    "taskDueDateUpdated",
    "taskTagUpdated",
    "taskMoved",
    "taskCommentPosted",
    "taskCommentUpdated",
    "taskTimeEstimateUpdated",
    "taskTimeTrackedUpdated",
    "listCreated",
    "listUpdated",
    "listDeleted",
    "folderCreated",
    "folderUpdated",
    "folderDeleted",
    "spaceCreated",
    "spaceUpdated",
    "spaceDeleted",
    "goalCreated",
    "goalUpdated",
    "goalDeleted",
    "keyResultCreated",
    "keyResultUpdated",
    "keyResultDeleted",
)
KNOWN = frozenset(ALL)

# history item field -> the event sent with the same item after its `taskUpdated`
SPECIFIC = {
    "status": "taskStatusUpdated",
    "priority": "taskPriorityUpdated",
    "assignee_add": "taskAssigneeUpdated",
    "assignee_rem": "taskAssigneeUpdated",
    "due_date": "taskDueDateUpdated",
    "tag": "taskTagUpdated",
    "tag_removed": "taskTagUpdated",
    "section_moved": "taskMoved",
    "time_estimate": "taskTimeEstimateUpdated",
    "time_spent": "taskTimeTrackedUpdated",
}


def subscription(events) -> list[str]:
    """The events a registration asks for: "*" (or ["*"]) is every event, in ClickUp's order; anything
    else is a non-empty list of known names. Raises ValueError otherwise."""
    if events == "*" or (isinstance(events, list) and "*" in events):
        return list(ALL)
    if isinstance(events, str):
        events = [events]
    if not isinstance(events, list) or not events or not all(isinstance(e, str) for e in events):
        raise ValueError('events must be "*" or a non-empty list of event names')
    unknown = sorted(set(events) - KNOWN)
    if unknown:
        raise ValueError(f"unknown events: {', '.join(unknown)}")
    return [e for e in ALL if e in set(events)]
