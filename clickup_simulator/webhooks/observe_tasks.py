"""The task, comment and time-entry mutations, observed: each runs as before, then queues the webhook
events ClickUp sends for it (nothing is computed while no webhook could receive them).

  create_task             taskCreated (status + task_creation items), then taskStatusUpdated
  update_task, close_task, reopen_task, archive_task, move_task, add_task_to_list,
  remove_task_from_list   for every changed field one taskUpdated, then its specific event with the
                          same item (taskStatusUpdated, taskPriorityUpdated, taskAssigneeUpdated,
                          taskDueDateUpdated, taskTagUpdated, taskMoved, taskTimeEstimateUpdated);
                          a move also for each subtask that moves along
  delete_task             taskDeleted for the task and each subtask deleted with it
  create_comment          taskUpdated + taskCommentPosted (field "comment", after = the comment id)
  update_comment          taskUpdated + taskCommentUpdated
  delete_comment          taskUpdated + taskCommentUpdated whose item has before = the id, after = null
  create/update/delete_time_entry   taskUpdated + taskTimeTrackedUpdated (field "time_spent", top-level
                          data "Time Tracking Created" / "Updated" / "Deleted")
The acting user is the workspace owner, except a task's creator, a comment's author and an entry's user.
"""

from __future__ import annotations

from functools import partial

from clickup_simulator.generation.ids import decode_time_entry
from clickup_simulator.webhooks import shapes
from clickup_simulator.webhooks.events import SPECIFIC
from clickup_simulator.webhooks.history import TASK


def _specific(item: dict) -> str | None:
    return SPECIFIC.get(item["field"])


class TaskObservers:
    def _owner_pos(self, ws: int) -> int:
        return self.state.world.workspaces[ws].members[0].user.pos

    def _task_ws(self, index: int) -> int:
        return int(self.state.tasks.column("ws")[index])

    def _observe_tasks(self, indices: list[int], call):
        """Run `call`; then send the updates of every task in `indices` that it changed."""
        emitter = self.webhook_emitter
        ws = self._task_ws(indices[0])
        if not emitter.listening(ws):
            return call()
        before = {i: self.renderer.render(i) for i in indices}
        result = call()
        user = self._owner_pos(ws)
        for i in indices:
            if self.state.tasks.column("deleted")[i]:
                continue
            items = self.webhook_history.task_items(before[i], self.renderer.render(i), user)
            where = emitter.at_task(i, before[i]["list"]["id"])
            emitter.task_update(where, items, _specific)
        return result

    # -- tasks --------------------------------------------------------------------------------------
    def create_task(self, list_id: str, name: str | None = None, **options) -> dict:
        with self.state.lock:
            task = super().create_task(list_id, name, **options)
            index = self.state.task_index(task["id"])
            ws = self._task_ws(index)
            if self.webhook_emitter.listening(ws):
                creator = options.get("creator")
                user = self._owner_pos(ws) if creator is None else self.state.user_by_id[int(creator)].pos
                items = self.webhook_history.created(task, user)
                where = self.webhook_emitter.at_task(index)
                self.webhook_emitter.send("taskCreated", where, {"task_id": task["id"]}, items)
                self.webhook_emitter.send("taskStatusUpdated", where, {"task_id": task["id"]}, items[:1])
            return task

    def update_task(self, task_id: str, **changes) -> dict:
        with self.state.lock:
            return self._observe_tasks(
                [self._task(task_id)], partial(super().update_task, task_id, **changes)
            )

    def close_task(self, task_id: str, status: str | None = None) -> dict:
        with self.state.lock:
            return self._observe_tasks([self._task(task_id)], partial(super().close_task, task_id, status))

    def reopen_task(self, task_id: str, status: str | None = None) -> dict:
        with self.state.lock:
            return self._observe_tasks([self._task(task_id)], partial(super().reopen_task, task_id, status))

    def move_task(self, task_id: str, list_id: str) -> dict:
        with self.state.lock:
            index = self._task(task_id)
            moving = [index, *self._descendants(index)]
            return self._observe_tasks(moving, partial(super().move_task, task_id, list_id))

    def add_task_to_list(self, task_id: str, list_id: str) -> dict:
        with self.state.lock:
            call = partial(super().add_task_to_list, task_id, list_id)
            return self._observe_tasks([self._task(task_id)], call)

    def remove_task_from_list(self, task_id: str, list_id: str) -> dict:
        with self.state.lock:
            call = partial(super().remove_task_from_list, task_id, list_id)
            return self._observe_tasks([self._task(task_id)], call)

    def delete_task(self, task_id: str) -> None:
        with self.state.lock:
            index = self._task(task_id)
            doomed = [index, *self._descendants(index)]
            super().delete_task(task_id)
            if self.webhook_emitter.listening(self._task_ws(index)):
                for i in doomed:
                    where = self.webhook_emitter.at_task(i)
                    self.webhook_emitter.send("taskDeleted", where, {"task_id": where.task_id})

    # -- comments -----------------------------------------------------------------------------------
    def _comment_event(self, event: str, record: dict, before, after, when: int) -> None:
        index = record["task"]
        if not self.webhook_emitter.listening(self._task_ws(index)):
            return
        where = self.webhook_emitter.at_task(index)
        item = self.webhook_history.item(
            TASK,
            "comment",
            where.lst.id,
            record["user"],
            when,
            before=before,
            after=after,
            comment=shapes.comment(self.state, record, where.task_id, self.config.seed),
        )
        self.webhook_emitter.task_update(where, [item], lambda _: event)

    def create_comment(self, task_id: str, text: str, user_id=None, parent_comment_id=None) -> dict:
        with self.state.lock:
            comment = super().create_comment(task_id, text, user_id, parent_comment_id)
            record = self.comments.record(comment["id"])
            self._comment_event("taskCommentPosted", record, None, record["id"], record["date"])
            return comment

    def update_comment(self, comment_id: str, text: str) -> dict:
        with self.state.lock:
            comment = super().update_comment(comment_id, text)
            record = self.comments.record(comment["id"])
            self._comment_event("taskCommentUpdated", record, None, record["id"], self.clock.now_ms())
            return comment

    def delete_comment(self, comment_id: str) -> None:
        with self.state.lock:
            record = self.comments.record(str(comment_id))
            super().delete_comment(comment_id)
            self._comment_event("taskCommentUpdated", record, record["id"], None, self.clock.now_ms())

    # -- time entries -------------------------------------------------------------------------------
    def _tracked(self, k: int, before, after, description: str) -> None:
        entries = self.entries
        index = int(entries.column("task")[k])
        if self.state.tasks.column("deleted")[index] or not self.webhook_emitter.listening(
            self._task_ws(index)
        ):
            return
        where = self.webhook_emitter.at_task(index)
        total = str(int(self.state.tasks.column("spent")[index]))
        item = self.webhook_history.item(
            TASK,
            "time_spent",
            where.lst.id,
            int(entries.column("user")[k]),
            int(self.state.tasks.column("updated")[index]),
            data={"total_time": total, "rollup_time": total},
            before=before,
            after=after,
        )
        interval_id = (after or before)["id"]
        data = {"description": f"Time Tracking {description}", "interval_id": interval_id}
        self.webhook_emitter.task_update(where, [item], _specific, data)

    def create_time_entry(self, task_id: str, *args, **kwargs) -> dict:
        with self.state.lock:
            entry = super().create_time_entry(task_id, *args, **kwargs)
            k = decode_time_entry(entry["id"])
            self._tracked(k, None, shapes.interval(self.entries, k), "Created")
            return entry

    def update_time_entry(self, entry_id: str, *args, **kwargs) -> dict:
        with self.state.lock:
            k = self._entry(entry_id)
            before = shapes.interval(self.entries, k)
            entry = super().update_time_entry(entry_id, *args, **kwargs)
            self._tracked(k, before, shapes.interval(self.entries, k), "Updated")
            return entry

    def delete_time_entry(self, entry_id: str) -> None:
        with self.state.lock:
            k = self._entry(entry_id)
            before = shapes.interval(self.entries, k)
            super().delete_time_entry(entry_id)
            self._tracked(k, before, None, "Deleted")
