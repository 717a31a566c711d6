"""Changes over time: the Python control API to create, edit, rename, move, archive, close, hide and
delete tasks, lists, folders, spaces, comments, time entries and goals (the mixins: `hierarchy`,
`containers`, `activity`, `goals`, `hiding`).

Every change stamps what ClickUp stamps: a task's `date_updated` moves on any edit of it (strictly
later than before, even within one millisecond), closing sets `date_closed` and `date_done`, moving a
task moves its subtasks. Choices where ClickUp's behaviour is undocumented: a new or deleted comment or
time entry also stamps its task (comments: `config.comments_touch_task`); deleting a task deletes its
subtasks, time entries and comments and stamps the tasks that depended on or linked to it.
Methods take and return ClickUp ids and records as the API renders them.
"""

from __future__ import annotations

import numpy as np

from clickup_simulator.generation.ids import time_entry_id
from clickup_simulator.generation.mix import mix
from clickup_simulator.generation.world import CLOSED, DONE, OPEN, Tag
from clickup_simulator.mutations.activity import ActivityMutations
from clickup_simulator.mutations.containers import ContainerMutations
from clickup_simulator.mutations.goals import GoalMutations
from clickup_simulator.mutations.hiding import HideMutations
from clickup_simulator.mutations.hierarchy import HierarchyMutations
from clickup_simulator.state import timeinstatus

TASK_CHANGES = {
    "name",
    "description",
    "status",
    "priority",
    "due_date",
    "start_date",
    "points",
    "time_estimate",
    "assignees",
    "tags",
    "custom_fields",
    "archived",
    "custom_item_id",
}
PRIORITY_BY_NAME = {"urgent": 1, "high": 2, "normal": 3, "low": 4}


class Mutations(HierarchyMutations, ContainerMutations, ActivityMutations, GoalMutations, HideMutations):
    # -- lookups ------------------------------------------------------------------------------------
    def _task(self, task_id: str) -> int:
        index = self.state.task_index(str(task_id))
        if index is None or self.state.tasks.column("deleted")[index]:
            raise LookupError(f"no task {task_id}")
        return index

    def _user_pos(self, user_id, ws) -> int:
        user = self.state.user_by_id.get(int(user_id))
        if user is None or ws.member(user.pos) is None:
            raise ValueError(f"user {user_id} is not a member of workspace {ws.id}")
        return user.pos

    def _stamp(self, index: int) -> int:
        t = self.state.tasks
        when = self.clock.stamp(int(t.column("updated")[index]))
        t.column("updated")[index] = when
        return when

    def _set_status(self, index: int, name: str | None, when: int, stype: int | None = None) -> None:
        t = self.state.tasks
        lst = self.state.world.lists[int(t.column("lst")[index])]
        if name is not None:
            status = next((s for s in lst.statuses if s.status.lower() == str(name).lower()), None)
            if status is None:
                raise ValueError(f"list {lst.id} has no status {name!r}")
        else:
            status = next(s for s in lst.statuses if s.type == stype)
        before = int(t.column("stype")[index])
        t.set(index, status=status.orderindex, stype=status.type)
        if status.type == CLOSED:
            t.set(index, closed=when, done=when if before < DONE else int(t.column("done")[index]))
        elif status.type == DONE:
            t.set(index, closed=-1, done=when if before < DONE else int(t.column("done")[index]))
        else:
            t.set(index, closed=-1, done=-1)
        timeinstatus.record_transition(self.state, index, status, when)

    def _tag_bits(self, space, names) -> int:
        bits = 0
        for name in names:
            position = next((k for k, tag in enumerate(space.tags) if tag.name == name), None)
            if position is None:
                if len(space.tags) >= 64:
                    raise ValueError("a space holds at most 64 tags in the simulator")
                owner = self.state.world.workspaces[space.ws].members[0].user.id
                space.tags.append(Tag(name, "#ffffff", "#7b68ee", owner))
                position = len(space.tags) - 1
            bits |= 1 << position
        return bits

    def _tag_names(self, index: int) -> list[str]:
        t = self.state.tasks
        space = self.state.world.spaces[self.state.world.lists[int(t.column("lst")[index])].space]
        bits = int(t.column("tags")[index])
        return [tag.name for k, tag in enumerate(space.tags) if bits >> k & 1]

    # -- tasks --------------------------------------------------------------------------------------
    def create_task(
        self,
        list_id: str,
        name: str | None = None,
        *,
        parent: str | None = None,
        status: str | None = None,
        **fields,
    ) -> dict:
        """A new task in `list_id` (optionally a subtask of `parent`); other keyword arguments are the
        same as `update_task`'s, plus `creator` (a user id)."""
        with self.state.lock:
            lst = self._live_list(list_id)
            ws = self.state.world.workspaces[lst.ws]
            t = self.state.tasks
            now = self.clock.now_ms()
            creator = fields.pop("creator", None)
            creator_pos = ws.members[0].user.pos if creator is None else self._user_pos(creator, ws)
            parent_index, top = -1, -1
            if parent is not None:
                parent_index = self._task(parent)
                if int(t.column("ws")[parent_index]) != ws.pos:
                    raise ValueError("a subtask lives in its parent's workspace")
                top = int(t.column("top")[parent_index])
                top = parent_index if top < 0 else top
            first = lst.statuses[0]
            index = t.append(
                ws=ws.pos,
                lst=lst.pos,
                parent=parent_index,
                top=top,
                status=first.orderindex,
                stype=first.type,
                created=now,
                updated=now,
                creator=creator_pos,
                rnd=mix(self.seed_value, t.n, 0xC0FFEE),
            )
            self.state.overrides[index] = {
                "name": name or f"New task {index}",
                "description": "",
                "transitions": [(timeinstatus._status(first), now)],
            }
            if status is not None and status.lower() != first.status.lower():
                self._set_status(index, status, now)
            if fields:
                self._apply(index, fields, now)
            self.state.touch()
            return self.renderer.render(index)

    @property
    def seed_value(self) -> int:
        return self.config.seed

    def update_task(self, task_id: str, **changes) -> dict:
        """Edit a task: name, description, status (name), priority (1-4, a name or None), due_date,
        start_date (ms or None), points, time_estimate, assignees (user ids), tags (names),
        custom_fields ({field id: value in the API's shape, or None to clear}), archived, custom_item_id.
        Always stamps `date_updated`."""
        unknown = set(changes) - TASK_CHANGES
        if unknown:
            raise ValueError(f"unknown task changes: {sorted(unknown)}")
        with self.state.lock:
            index = self._task(task_id)
            when = self._stamp(index)
            self._apply(index, changes, when)
            self.state.touch()
            return self.renderer.render(index)

    def _apply(self, index: int, changes: dict, when: int) -> None:
        t, state = self.state.tasks, self.state
        ws = state.world.workspaces[int(t.column("ws")[index])]
        over = state.overrides.setdefault(index, {})
        for key, value in changes.items():
            if key in ("name", "description"):
                over[key] = str(value)
            elif key == "status":
                self._set_status(index, value, when)
            elif key == "priority":
                value = PRIORITY_BY_NAME.get(value, value) if value is not None else 0
                if value not in (0, 1, 2, 3, 4):
                    raise ValueError("priority is 1 (urgent) to 4 (low), a name, or None")
                t.set(index, priority=value)
            elif key in ("due_date", "start_date", "time_estimate", "points"):
                column = {
                    "due_date": "due",
                    "start_date": "start",
                    "time_estimate": "estimate",
                    "points": "points",
                }[key]
                t.set(index, **{column: -1 if value is None else int(value)})
            elif key == "assignees":
                t.set_assignees(index, [self._user_pos(u, ws) for u in value])
            elif key == "tags":
                space = state.world.spaces[state.world.lists[int(t.column("lst")[index])].space]
                t.set(index, tags=np.uint64(self._tag_bits(space, list(value))))
            elif key == "custom_fields":
                self._set_fields(index, over, value)
            elif key == "archived":
                t.set(index, archived=bool(value))
            elif key == "custom_item_id":
                if int(value) not in (0, 1, 1300):
                    raise ValueError("custom_item_id is 0 (task), 1 (milestone) or 1300 (Bug)")
                t.set(index, item=int(value))

    def _set_fields(self, index: int, over: dict, values: dict) -> None:
        lst = self.state.world.lists[int(self.state.tasks.column("lst")[index])]
        usable = {f.id: f for f in self.state.world.fields_for_list(lst)}
        fields = over.setdefault("fields", {})
        for field_id, value in values.items():
            if field_id not in usable:
                raise ValueError(f"field {field_id} is not usable in list {lst.id}")
            fields[usable[field_id].pos] = value

    def close_task(self, task_id: str, status: str | None = None) -> dict:
        """Move a task to its list's closed status (or the given status of type closed/done)."""
        with self.state.lock:
            index = self._task(task_id)
            when = self._stamp(index)
            self._set_status(index, status, when, stype=CLOSED)
            self.state.touch()
            return self.renderer.render(index)

    def reopen_task(self, task_id: str, status: str | None = None) -> dict:
        with self.state.lock:
            index = self._task(task_id)
            when = self._stamp(index)
            self._set_status(index, status, when, stype=OPEN)
            self.state.touch()
            return self.renderer.render(index)

    def archive_task(self, task_id: str, archived: bool = True) -> dict:
        return self.update_task(task_id, archived=archived)

    def unarchive_task(self, task_id: str) -> dict:
        return self.update_task(task_id, archived=False)

    def _descendants(self, index: int) -> list[int]:
        parent = self.state.tasks.column("parent")
        deleted = self.state.tasks.column("deleted")
        found, frontier = [], [index]
        while frontier:
            children = np.flatnonzero(np.isin(parent, frontier) & ~deleted).tolist()
            found += children
            frontier = children
        return found

    def move_task(self, task_id: str, list_id: str) -> dict:
        """Change a task's home list (its subtasks move with it); statuses map by name, else by type."""
        with self.state.lock:
            index = self._task(task_id)
            target = self._live_list(list_id)
            t = self.state.tasks
            if int(t.column("ws")[index]) != target.ws:
                raise ValueError("tasks move within their workspace")
            for moved in [index] + self._descendants(index):
                names = self._tag_names(moved)
                old = self.state.world.lists[int(t.column("lst")[moved])]
                current = old.statuses[int(t.column("status")[moved])]
                status = next((s for s in target.statuses if s.status == current.status), None) or next(
                    s for s in target.statuses if s.type == current.type
                )
                when = self._stamp(moved)
                t.set(moved, lst=target.pos, status=status.orderindex, stype=status.type)
                t.set(moved, tags=np.uint64(self._tag_bits(self.state.world.spaces[target.space], names)))
                if status.status != current.status:
                    timeinstatus.record_transition(self.state, moved, status, when)
                self.state.relations.remove_location(moved, target.pos)
            self.state.touch()
            return self.renderer.render(index)

    def add_task_to_list(self, task_id: str, list_id: str) -> dict:
        """Tasks in Multiple Lists: the task also shows in `list_id` (`locations`, `include_timl`)."""
        with self.state.lock:
            index = self._task(task_id)
            target = self._live_list(list_id)
            if target.pos == int(self.state.tasks.column("lst")[index]):
                raise ValueError("that is the task's home list")
            self.state.relations.add_location(index, target.pos)
            self._stamp(index)
            self.state.touch()
            return self.renderer.render(index)

    def remove_task_from_list(self, task_id: str, list_id: str) -> dict:
        with self.state.lock:
            index = self._task(task_id)
            self.state.relations.remove_location(index, self._live_list(list_id).pos)
            self._stamp(index)
            self.state.touch()
            return self.renderer.render(index)

    def delete_task(self, task_id: str) -> None:
        with self.state.lock:
            self._delete_tasks([self._task(task_id)])
            self.state.touch()

    def _delete_tasks(self, indices: list[int]) -> None:
        state, t = self.state, self.state.tasks
        doomed = set()
        for index in indices:
            if not t.column("deleted")[index]:
                doomed.add(index)
                doomed.update(self._descendants(index))
        now = self.clock.now_ms()
        for index in sorted(doomed):
            ws = int(t.column("ws")[index])
            for c in self.comments.top_level(index):
                state.deletions.add(ws, "comments", c["id"], now)
            t.column("deleted")[index] = True
            state.deletions.add(ws, "tasks", state.task_id(index), now)
        entries = self.entries
        hit = np.flatnonzero(np.isin(entries.column("task"), list(doomed)) & ~entries.column("deleted"))
        entries.column("deleted")[hit] = True
        for k in hit.tolist():
            state.deletions.add(int(entries.column("ws")[k]), "time_entries", time_entry_id(k), now)
        partners = set()
        for index in doomed:
            for a, b, _, _ in [*state.relations.deps.get(index, ()), *state.relations.links.get(index, ())]:
                partners.update((a, b))
        for partner in sorted(partners - doomed):
            if not t.column("deleted")[partner]:
                self._stamp(partner)
        self.refresh_time_spent()
