"""Tasks as numpy columns: everything filters and sorts need, ~130 bytes a task.

Everything else a task shows (name, description, checklists, custom field values…) is derived from its
`rnd` column at render time, or read from `overrides` once a mutation changed it. Columns grow by
doubling, so tasks created at run time are appended like generated ones.
"""

from __future__ import annotations

import numpy as np

NONE = -1
COLUMNS = {
    "ws": np.int16,
    "lst": np.int32,
    "parent": np.int32,
    "top": np.int32,
    "status": np.int8,
    "stype": np.int8,
    "archived": np.bool_,
    "deleted": np.bool_,
    "created": np.int64,
    "updated": np.int64,
    "closed": np.int64,
    "done": np.int64,
    "due": np.int64,
    "start": np.int64,
    "priority": np.int8,
    "points": np.int16,
    "estimate": np.int64,
    "creator": np.int32,
    "a0": np.int32,
    "a1": np.int32,
    "a2": np.int32,
    "a3": np.int32,
    "item": np.int16,
    "tags": np.uint64,
    "ncomments": np.uint8,
    "rnd": np.uint64,
    "spent": np.int64,
    "nentries": np.int32,
}
ASSIGNEE_COLUMNS = ("a0", "a1", "a2", "a3")
DEFAULTS = {
    "parent": NONE,
    "top": NONE,
    "closed": NONE,
    "done": NONE,
    "due": NONE,
    "start": NONE,
    "points": NONE,
    "estimate": NONE,
    "a0": NONE,
    "a1": NONE,
    "a2": NONE,
    "a3": NONE,
}


class TaskTable:
    def __init__(self, capacity: int = 1024):
        self.n = 0
        self._cols = {
            name: np.full(capacity, DEFAULTS.get(name, 0), dtype=dtype) for name, dtype in COLUMNS.items()
        }

    def __getattr__(self, name: str) -> np.ndarray:
        cols = self.__dict__.get("_cols")
        if cols is not None and name in cols:
            return cols[name][: self.__dict__["n"]]
        raise AttributeError(name)

    def column(self, name: str) -> np.ndarray:
        return self._cols[name][: self.n]

    def _reserve(self, extra: int) -> None:
        capacity = len(self._cols["ws"])
        if self.n + extra <= capacity:
            return
        new_capacity = max(capacity * 2, self.n + extra)
        for name, col in self._cols.items():
            grown = np.full(new_capacity, DEFAULTS.get(name, 0), dtype=col.dtype)
            grown[: self.n] = col[: self.n]
            self._cols[name] = grown

    def extend(self, columns: dict[str, np.ndarray]) -> range:
        """Append a block of tasks given as arrays (missing columns get their defaults)."""
        count = len(next(iter(columns.values())))
        self._reserve(count)
        start = self.n
        for name, values in columns.items():
            self._cols[name][start : start + count] = values
        self.n += count
        return range(start, start + count)

    def append(self, **values) -> int:
        return self.extend({k: np.array([v]) for k, v in values.items()}).start

    def rows(self, indices, names) -> list[tuple]:
        """The `names` columns of several tasks as tuples of Python scalars (one gather per column)."""
        return list(zip(*[self._cols[name][indices].tolist() for name in names], strict=True))

    def set(self, index: int, **values) -> None:
        for name, value in values.items():
            self._cols[name][index] = value

    def assignees(self, index: int) -> list[int]:
        return [int(self._cols[c][index]) for c in ASSIGNEE_COLUMNS if self._cols[c][index] >= 0]

    def set_assignees(self, index: int, user_pos: list[int]) -> None:
        if len(user_pos) > len(ASSIGNEE_COLUMNS):
            raise ValueError(f"the simulator holds at most {len(ASSIGNEE_COLUMNS)} assignees a task")
        for k, col in enumerate(ASSIGNEE_COLUMNS):
            self._cols[col][index] = user_pos[k] if k < len(user_pos) else NONE

    def nbytes(self) -> int:
        return sum(col.nbytes for col in self._cols.values())
