"""Objects made private to every token: how an object vanishes from a client's sight without being
deleted (ClickUp's sharing settings; the token's owner loses access too).

A hidden task, list, folder or space answers ClickUp's access error on every per-object read (401
`ACCESS_083` for tasks, 401 `ACCESS_080` for the others), reads under it do too (a hidden list's tasks,
fields and comments), and listings leave it and everything under it out, as they do for private
objects a caller may not see. The ground truth leaves it out too. Hiding is not deletion: nothing is
recorded in `truth.deleted`, and `unhide` brings everything back as it was. `visibility` asks this
module; `mutations.hiding` hides and unhides.
"""

from __future__ import annotations

import numpy as np

KINDS = ("task", "list", "folder", "space")


class Hiding:
    def __init__(self, state):
        self.state = state
        self.hidden: dict[str, set[int]] = {kind: set() for kind in KINDS}  # positions; tasks: indices
        self.count = 0
        self._tasks: tuple[int, np.ndarray | None] = (-1, None)

    def set(self, kind: str, pos: int, hidden: bool) -> None:
        (self.hidden[kind].add if hidden else self.hidden[kind].discard)(pos)
        self.count = sum(len(found) for found in self.hidden.values())

    # -- what is hidden (directly or through a parent) --------------------------------------------
    def space(self, space) -> bool:
        return bool(self.count) and space.pos in self.hidden["space"]

    def folder(self, folder) -> bool:
        if not self.count:
            return False
        folders, world = self.hidden["folder"], self.state.world
        if folder.space in self.hidden["space"]:
            return True
        pos = folder.pos
        while pos is not None:
            if pos in folders:
                return True
            pos = world.folders[pos].parent
        return False

    def list(self, lst) -> bool:
        if not self.count:
            return False
        if lst.pos in self.hidden["list"] or lst.space in self.hidden["space"]:
            return True
        return lst.folder is not None and self.folder(self.state.world.folders[lst.folder])

    def task_mask(self) -> np.ndarray | None:
        """Hidden tasks (and their subtasks, at any depth) over task indices; None when none is hidden."""
        chosen = self.hidden["task"]
        if not chosen:
            return None
        version, mask = self._tasks
        t = self.state.tasks
        if version != self.state.version or mask is None or len(mask) != t.n:
            mask = np.zeros(t.n, dtype=np.bool_)
            frontier = np.array(sorted(chosen), dtype=np.int64)
            parent = t.column("parent")
            while len(frontier):
                mask[frontier] = True
                frontier = np.flatnonzero(np.isin(parent, frontier) & ~mask)
            self._tasks = (self.state.version, mask)
        return mask

    def task(self, index: int) -> bool:
        mask = self.task_mask()
        return mask is not None and bool(mask[index])
