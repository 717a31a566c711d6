"""Changes timed by the traffic: "after the next N answers of this endpoint, delete that task".

This is how a test makes an object vanish between two requests of a client, e.g. a task listed by the
task walk and deleted before its comments are read. A trigger counts the answers the simulator writes
for one endpoint template (as the statistics name it, "GET /team/{team_id}/task"), from when it is set;
every status counts, a dropped connection does not. The N-th answer runs the action before its bytes
are written (the answer itself is already computed), so whatever the client asks next sees the change.
Actions: the `delete_*`, `hide_*`, `unhide_*`, `archive_*` and `unarchive_*` mutations, `update_task`,
`update_time_entry`, `move_task`, `close_task` and `reopen_task`, with keyword arguments.
"""

from __future__ import annotations

import re
import threading

PREFIXES = ("delete_", "hide_", "unhide_", "archive_", "unarchive_")
OTHERS = {"update_task", "update_time_entry", "move_task", "close_task", "reopen_task"}
ENDPOINT = re.compile(r"^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /\S*$")


class Triggers:
    def __init__(self, sim):
        self._sim = sim
        self._lock = threading.Lock()
        self._next_id = 1
        self.pending: list[dict] = []  # checked without the lock on every answer: empty = nothing to do
        self._done: list[dict] = []

    def add(self, after: str, count: int, action: str, object_id, **args) -> dict:
        if not ENDPOINT.match(str(after)):
            raise ValueError(
                f"'after' is an endpoint template such as 'GET /team/{{team_id}}/task', not {after!r}"
            )
        if int(count) < 1:
            raise ValueError("count is the number of answers to wait for, at least 1")
        if not (action.startswith(PREFIXES) or action in OTHERS) or not callable(
            getattr(self._sim, action, None)
        ):
            raise ValueError(f"{action!r} is not an action a trigger can run")
        with self._lock:
            trigger = {
                "id": self._next_id,
                "after": after,
                "count": int(count),
                "remaining": int(count),
                "action": action,
                "object_id": object_id,
                "args": args,
                "fired": False,
                "error": None,
            }
            self._next_id += 1
            self.pending = [*self.pending, trigger]
        return dict(trigger)

    def answered(self, endpoint: str) -> None:
        """One more answer of `endpoint` is about to be written: run the triggers it completes."""
        due = []
        with self._lock:
            for trigger in self.pending:
                if trigger["after"] == endpoint:
                    trigger["remaining"] -= 1
                    if trigger["remaining"] == 0:
                        due.append(trigger)
            if due:
                self.pending = [t for t in self.pending if t["remaining"] > 0]
                self._done += due
        for trigger in due:
            try:
                getattr(self._sim, trigger["action"])(trigger["object_id"], **trigger["args"])
            except (LookupError, ValueError, TypeError) as exc:  # e.g. the object is already gone
                trigger["error"] = str(exc).strip("'\"")
            trigger["fired"] = True

    def list(self) -> list[dict]:
        """Every trigger set since the last `clear()`, pending ones and those that fired."""
        with self._lock:
            every = sorted(self._done + self.pending, key=lambda t: t["id"])
            return [dict(t, args=dict(t["args"])) for t in every]

    def clear(self) -> None:
        with self._lock:
            self.pending = []
            self._done = []
