"""Time entries: numpy columns per entry, generated over the workspace's history, rendered on request.

Entries belong to a task and a user; a running timer has no end and a negative duration (minus the time
it has been running). `GET /team/{id}/time_entries` filters by start time, user and location; a task's
`time_spent` is the sum of its finished entries.
"""

from __future__ import annotations

import numpy as np

from clickup_simulator.generation import words
from clickup_simulator.generation.ids import time_entry_id

DAY_MS = 86_400_000
RUNNING = -1
COLUMNS = {
    "ws": np.int16,
    "task": np.int32,
    "user": np.int32,
    "start": np.int64,
    "duration": np.int64,
    "billable": np.bool_,
    "tag": np.int8,
    "desc": np.int16,
    "deleted": np.bool_,
    "at": np.int64,
}


class TimeEntries:
    def __init__(self):
        self.descriptions: dict[int, str] = {}  # entries created with a description
        self.n = 0
        self._cols = {name: np.zeros(0, dtype=dtype) for name, dtype in COLUMNS.items()}

    def column(self, name: str) -> np.ndarray:
        return self._cols[name][: self.n]

    def extend(self, columns: dict[str, np.ndarray]) -> range:
        count = len(next(iter(columns.values())))
        if self.n + count > len(self._cols["ws"]):
            capacity = max(2 * len(self._cols["ws"]), self.n + count, 64)
            for name, col in self._cols.items():
                grown = np.zeros(capacity, dtype=col.dtype)
                grown[: self.n] = col[: self.n]
                self._cols[name] = grown
        for name, values in columns.items():
            self._cols[name][self.n : self.n + count] = values
        self.n += count
        return range(self.n - count, self.n)

    def generate(self, world, ws: int, count: int, tasks, block: range, anchor_ms: int, seed: int) -> None:
        if count <= 0 or len(block) == 0:
            return
        rng = np.random.default_rng([seed, 37, ws])
        members = world.workspaces[ws].members
        staff = np.array([m.user.pos for m in members if m.joined and m.role != 4], dtype=np.int32)
        owner = members[0].user.pos
        task = rng.integers(block.start, block.stop, size=count).astype(np.int32)
        a0 = tasks.column("a0")[task]
        user = np.where((a0 >= 0) & (rng.random(count) < 0.7), a0, staff[rng.integers(0, len(staff), count)])
        duration = np.clip(np.exp(rng.normal(np.log(45 * 60_000), 0.8, count)), 60_000, 8 * 3_600_000)
        duration = duration.astype(np.int64)
        created = tasks.column("created")[task]
        latest = np.maximum(created + 1, anchor_ms - duration)
        start = created + ((latest - created) * rng.random(count)).astype(np.int64)
        recent = min(count, 8)  # the token owner always has entries in the default 30-day window
        user[:recent] = owner
        start[:recent] = anchor_ms - (rng.random(recent) * 29 * DAY_MS).astype(np.int64) - duration[:recent]
        start[:recent] = np.maximum(start[:recent], created[:recent])
        if count >= 10:  # timers still running: the owner's and someone else's
            others = staff[staff != owner]
            runners = [owner] + ([int(others[0])] if len(others) else [])
            for k, who in zip((recent, recent + 1), runners, strict=False):
                user[k] = who
                start[k] = anchor_ms - int(rng.integers(10, 120)) * 60_000
                duration[k] = RUNNING
        at = np.where(duration == RUNNING, start, start + duration)
        self.extend(
            {
                "ws": np.full(count, ws),
                "task": task,
                "user": user,
                "start": start,
                "duration": duration,
                "billable": rng.random(count) < 0.3,
                "tag": np.where(rng.random(count) < 0.2, rng.integers(0, 3, count), -1),
                "desc": np.where(rng.random(count) < 0.6, rng.integers(0, len(words.COMMENTS), count), -1),
                "at": at,
            }
        )

    def task_totals(self, n_tasks: int) -> tuple[np.ndarray, np.ndarray]:
        """(time spent, entry count) per task, from live finished entries."""
        live = ~self.column("deleted")
        tasks = self.column("task")[live]
        durations = self.column("duration")[live]
        finished = durations >= 0
        spent = np.bincount(tasks[finished], weights=durations[finished], minlength=n_tasks)
        counts = np.bincount(tasks, minlength=n_tasks)
        return spent[:n_tasks].astype(np.int64), counts[:n_tasks].astype(np.int32)

    def select(
        self,
        ws: int,
        start: int,
        end: int,
        users: set[int] | None,
        task_mask=None,
        billable: bool | None = None,
    ) -> np.ndarray:
        """Entries of workspace `ws` started within [start, end], oldest first."""
        mask = (self.column("ws") == ws) & ~self.column("deleted")
        starts = self.column("start")
        mask &= (starts >= start) & (starts <= end)
        if users is not None:
            mask &= np.isin(self.column("user"), np.fromiter(users, dtype=np.int32))
        if task_mask is not None:
            mask &= task_mask[self.column("task")]
        if billable is not None:
            mask &= self.column("billable") == billable
        found = np.flatnonzero(mask)
        return found[np.argsort(starts[found], kind="stable")]

    def render(
        self,
        k: int,
        state,
        renderer,
        now_ms: int,
        location_names: bool,
        task_tags: bool,
        approval: bool = False,
    ) -> dict:
        c = {name: col[k].item() for name, col in self._cols.items()}
        world = state.world
        ws = world.workspaces[c["ws"]]
        index = c["task"]
        parts = renderer.parts(int(state.tasks.column("lst")[index]))
        status = parts.statuses[int(state.tasks.column("status")[index])]
        item = int(state.tasks.column("item")[index])
        task_id = state.task_id(index)
        lst = world.lists[int(state.tasks.column("lst")[index])]
        space = world.spaces[lst.space]
        folder = world.folders[lst.folder] if lst.folder is not None else None
        running = c["duration"] == RUNNING
        location = {
            "list_id": int(lst.id),
            "folder_id": int(folder.id if folder else space.hidden_folder_id),
            "space_id": int(space.id),
        }
        if location_names:
            location.update(
                list_name=lst.name, folder_name=folder.name if folder else "hidden", space_name=space.name
            )
        out = {
            "id": time_entry_id(k),
            "task": {
                "id": task_id,
                "custom_id": None,
                "name": renderer.name(index),
                "status": {
                    "status": status["status"],
                    "color": status["color"],
                    "type": status["type"],
                    "orderindex": status["orderindex"],
                },
                "custom_type": None if item == 0 else str(item),
            },
            "wid": ws.id,
            "user": state.user_full(c["user"]),
            "billable": c["billable"],
            "start": str(c["start"]),
        }
        if not running:
            out["end"] = str(c["start"] + c["duration"])
        out["duration"] = str(-(now_ms - c["start"]) if running else c["duration"])
        tag = [] if c["tag"] < 0 else [ws.te_tags[c["tag"]]]
        description = self.descriptions.get(k) or ("" if c["desc"] < 0 else words.COMMENTS[c["desc"]])
        out.update(
            {
                "description": description,
                "tags": [{"name": t.name, "tag_bg": t.bg, "tag_fg": t.fg, "creator": t.creator} for t in tag],
                "source": "clickup",
                "at": str(c["at"]),
                "task_location": location,
            }
        )
        if task_tags:
            bits = int(state.tasks.column("tags")[index])
            out["task_tags"] = [
                {"name": t.name, "tag_fg": t.fg, "tag_bg": t.bg, "creator": t.creator}
                for b, t in enumerate(space.tags)
                if bits >> b & 1
            ]
        if approval:
            out["approval_id"] = None
        out["task_url"] = f"https://app.clickup.com/t/{task_id}"
        return out
