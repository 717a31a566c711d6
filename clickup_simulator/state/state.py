"""Everything a simulator holds, and the lookups every part needs (ids → records, users → JSON).

One lock guards it: request handlers hold it while they compute an answer (not while sending), and
mutations hold it while they change things; `version` grows with every change, so caches keyed on it
(query results, rendered tasks) never serve stale data.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from clickup_simulator.access.hiding import Hiding
from clickup_simulator.generation.ids import TaskIds
from clickup_simulator.generation.tasks import Relations
from clickup_simulator.generation.tasktable import TaskTable
from clickup_simulator.generation.world import World
from clickup_simulator.state.clock import SimClock


@dataclass
class Deletions:
    """Ids that existed and were deleted, with when (ms), per workspace position and kind."""

    items: dict[tuple[int, str], dict[str, int]] = field(default_factory=dict)

    def add(self, ws: int, kind: str, object_id: str, when: int) -> None:
        self.items.setdefault((ws, kind), {})[object_id] = when

    def of(self, ws: int, kind: str) -> dict[str, int]:
        return dict(self.items.get((ws, kind), {}))


class State:
    def __init__(self, config, world: World, clock: SimClock):
        self.config = config
        self.seed = config.seed
        self.world = world
        self.clock = clock
        self.tasks = TaskTable(capacity=max(1024, config.total_tasks() + 64))
        self.relations = Relations()
        self.task_ids = TaskIds(config.seed)
        self.overrides: dict[int, dict] = {}
        self.generated = 0  # tasks below this index derive their content from the seed
        self.ws_block: list[range] = []
        self.lock = threading.RLock()
        self.version = 0
        self.deletions = Deletions()
        self.hiding = Hiding(self)
        self.reindex()
        self._user_min = [self._render_user(u, initials=False) for u in world.users]
        self._user_full = [self._render_user(u, initials=True) for u in world.users]

    def reindex(self) -> None:
        w = self.world
        self.ws_by_id = {ws.id: ws for ws in w.workspaces}
        self.space_by_id = {s.id: s for s in w.spaces}
        self.folder_by_id = {f.id: f for f in w.folders}
        self.list_by_id = {lst.id: lst for lst in w.lists}
        self.field_by_id = {f.id: f for f in w.fields}
        self.goal_by_id = {g.id: g for g in w.goals}
        self.user_by_id = {u.id: u for u in w.users}
        self.token_by_value = {t.token: t for t in w.tokens}

    def touch(self) -> None:
        self.version += 1

    @staticmethod
    def _render_user(user, initials: bool) -> dict:
        out = {"id": user.id, "username": user.username, "color": user.color, "email": user.email}
        if initials:
            out["initials"] = user.initials
        out["profilePicture"] = user.picture
        return out

    def user_min(self, pos: int) -> dict:
        """{id, username, color, email, profilePicture}: task creators."""
        return self._user_min[pos]

    def user_full(self, pos: int) -> dict:
        """Adds `initials`: assignees, watchers, comment authors, time-entry users."""
        return self._user_full[pos]

    def task_index(self, task_id: str) -> int | None:
        index = self.task_ids.decode(task_id)
        if index is None or index >= self.tasks.n:
            return None
        return index

    def task_id(self, index: int) -> str:
        return self.task_ids.encode(index)

    def ws_of_task(self, index: int):
        return self.world.workspaces[int(self.tasks.column("ws")[index])]

    def block_start(self, index: int) -> int:
        for block in self.ws_block:
            if index in block:
                return block.start
        return index
