"""Changes to comments, time entries and goals. New ones are dated now; a new, edited or deleted
comment (with `config.comments_touch_task`) and a new, edited or deleted time entry stamp their task's
`date_updated`, since they change what ClickUp reports about the task (a taskUpdated event,
`time_spent`). An edited entry's `at` is the time of the edit."""

from __future__ import annotations

import numpy as np

from clickup_simulator.generation.ids import decode_time_entry
from clickup_simulator.state.timeentries import RUNNING


class ActivityMutations:
    # -- comments -----------------------------------------------------------------------------------
    def create_comment(
        self, task_id: str, text: str, user_id: int | None = None, parent_comment_id: str | None = None
    ) -> dict:
        """A comment on a task, or a threaded reply to `parent_comment_id`; dated now."""
        with self.state.lock:
            index = self._task(task_id)
            ws = self.state.ws_of_task(index)
            user = ws.members[0].user.pos if user_id is None else self._user_pos(user_id, ws)
            parent = None
            if parent_comment_id is not None:
                parent = self.comments.record(str(parent_comment_id))
                if parent is None or parent["task"] != index:
                    raise LookupError(f"no comment {parent_comment_id} on task {task_id}")
            record = self.comments.add(index, text, user, self.clock.now_ms(), parent)
            if self.config.comments_touch_task:
                self._stamp(index)
            self.state.touch()
            return self.comments.render(record)

    def update_comment(self, comment_id: str, text: str) -> dict:
        """New text for a comment or reply; its date stays (ClickUp keeps a comment's date)."""
        with self.state.lock:
            record = self.comments.record(str(comment_id))
            if record is None:
                raise LookupError(f"no comment {comment_id}")
            self.comments.edit(record, str(text))
            if self.config.comments_touch_task:
                self._stamp(record["task"])
            self.state.touch()
            return self.comments.render(self.comments.record(record["id"]))

    def delete_comment(self, comment_id: str) -> None:
        with self.state.lock:
            record = self.comments.record(str(comment_id))
            if record is None:
                raise LookupError(f"no comment {comment_id}")
            doomed = [record] + self.comments.replies(record)
            ws = int(self.state.tasks.column("ws")[record["task"]])
            for c in doomed:
                self.comments.delete(c["id"])
                self.state.deletions.add(ws, "comments", c["id"], self.clock.now_ms())
            if self.config.comments_touch_task:
                self._stamp(record["task"])
            self.state.touch()

    # -- time entries -------------------------------------------------------------------------------
    def create_time_entry(
        self,
        task_id: str,
        user_id: int | None = None,
        start_ms: int | None = None,
        duration_ms: int = 3_600_000,
        description: str = "",
        billable: bool = False,
        running: bool = False,
    ) -> dict:
        """Time tracked on a task (a running timer with `running=True`); stamps the task."""
        with self.state.lock:
            index = self._task(task_id)
            ws = self.state.ws_of_task(index)
            user = ws.members[0].user.pos if user_id is None else self._user_pos(user_id, ws)
            now = self.clock.now_ms()
            start = int(start_ms) if start_ms is not None else now - (0 if running else int(duration_ms))
            duration = RUNNING if running else int(duration_ms)
            k = self.entries.extend(
                {
                    "ws": np.array([ws.pos]),
                    "task": np.array([index]),
                    "user": np.array([user]),
                    "start": np.array([start]),
                    "duration": np.array([duration]),
                    "billable": np.array([bool(billable)]),
                    "tag": np.array([-1]),
                    "desc": np.array([-1]),
                    "at": np.array([now]),
                }
            ).start
            if description:
                self.entries.descriptions[k] = str(description)
            self.refresh_time_spent()
            self._stamp(index)
            self.state.touch()
            return self._render_entry(k)

    def delete_time_entry(self, entry_id: str) -> None:
        with self.state.lock:
            k = self._entry(entry_id)
            self.entries.column("deleted")[k] = True
            self.state.deletions.add(
                int(self.entries.column("ws")[k]), "time_entries", str(entry_id), self.clock.now_ms()
            )
            self.refresh_time_spent()
            task = int(self.entries.column("task")[k])
            if not self.state.tasks.column("deleted")[task]:
                self._stamp(task)
            self.state.touch()

    def update_time_entry(
        self,
        entry_id: str,
        start_ms: int | None = None,
        duration_ms: int | None = None,
        description: str | None = None,
    ) -> dict:
        """Move an entry's start, change its duration (a running timer stops) or its description; what
        is None stays. Moving the start can take an entry out of (or into) a date window."""
        with self.state.lock:
            k = self._entry(entry_id)
            entries = self.entries
            if start_ms is not None:
                entries.column("start")[k] = int(start_ms)
            if duration_ms is not None:
                if int(duration_ms) < 0:
                    raise ValueError("duration_ms is at least 0")
                entries.column("duration")[k] = int(duration_ms)
            if description is not None:
                entries.descriptions[k] = str(description)
                entries.column("desc")[k] = -1
            entries.column("at")[k] = self.clock.now_ms()
            self.refresh_time_spent()
            self._stamp(int(entries.column("task")[k]))
            self.state.touch()
            return self._render_entry(k)

    def _entry(self, entry_id: str) -> int:
        k = decode_time_entry(str(entry_id))
        if k is None or k >= self.entries.n or self.entries.column("deleted")[k]:
            raise LookupError(f"no time entry {entry_id}")
        return k

    # -- goals --------------------------------------------------------------------------------------
    def delete_goal(self, goal_id: str) -> None:
        """`GET /goal/{id}` answers 404 from now on and the goal leaves `GET /team/{id}/goal`."""
        with self.state.lock:
            goal = self.state.goal_by_id.get(str(goal_id))
            if goal is None or goal.deleted:
                raise LookupError(f"no goal {goal_id}")
            goal.deleted = True
            self.state.deletions.add(goal.ws, "goals", goal.id, self.clock.now_ms())
            self.state.touch()

    def _render_entry(self, k: int) -> dict:
        return self.entries.render(k, self.state, self.renderer, self.clock.now_ms(), True, True)
