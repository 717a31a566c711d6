"""Task queries of the workspace and list endpoints: filters, order, pages, computed at request time.

A query's matching tasks are sorted once per data version and cached, so paging is a slice. Ranges on
the column the query is ordered by (the keyset walk `order_by=updated&date_updated_gt=…`) are cut from
the cached order by binary search instead of a new sort. `date_updated_gt` is inclusive (ClickUp reads
it as ≥); every other `_gt`/`_lt` bound is strict. Tasks without a due date sort last either way.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace

import numpy as np

from clickup_simulator.generation.world import CLOSED

PAGE_SIZE = 100
ORDER_COLUMNS = {"created": "created", "updated": "updated", "due_date": "due", "id": None}
RANGE_COLUMNS = {"due_date": "due", "date_created": "created", "date_updated": "updated", "date_done": "done"}


@dataclass(frozen=True)
class TaskQuery:
    ws: int
    list_pos: int | None = None  # the list endpoint
    include_timl: bool = False
    archived: bool = False
    include_closed: bool = False
    subtasks: bool = False
    parent: int | None = None
    spaces: tuple = ()
    folders: tuple = ()
    lists: tuple = ()
    statuses: tuple = ()  # lower-cased names
    assignees: tuple = ()  # user positions
    watchers: tuple = ()
    tags: tuple = ()  # lower-cased names
    custom_items: tuple = ()
    ranges: tuple = ()  # (column, "gt" | "lt", ms)
    order_by: str = "created"
    visibility: object = "all"


class Ordered:
    """The tasks of a query in order: `present` (ordered by the key), then tasks whose key is null."""

    def __init__(self, present: np.ndarray, nulls: np.ndarray):
        self.present, self.nulls = present, nulls
        self.total = len(present) + len(nulls)

    def slice(self, start: int, stop: int) -> list[int]:
        head = self.present[start:stop].tolist()
        if stop > len(self.present):
            head += self.nulls[max(0, start - len(self.present)) : stop - len(self.present)].tolist()
        return head


class TaskQueries:
    def __init__(self, state, access, cache_entries: int = 24):
        self.state = state
        self.access = access
        self._cache: OrderedDict = OrderedDict()
        self.cache_entries = cache_entries

    def run(self, query: TaskQuery, reverse: bool, list_mask) -> Ordered:
        column = ORDER_COLUMNS.get(query.order_by)
        cut = [r for r in query.ranges if column and r[0] == column]
        base = replace(query, ranges=tuple(r for r in query.ranges if r not in cut))
        asc_idx, asc_keys, nulls = self._ascending(base, list_mask)
        if cut:
            lo, hi = 0, len(asc_idx)
            for col, op, value in cut:
                if op == "gt":
                    side = "left" if col == "updated" else "right"
                    lo = max(lo, int(np.searchsorted(asc_keys, value, side=side)))
                else:
                    hi = min(hi, int(np.searchsorted(asc_keys, value, side="left")))
            present = asc_idx[lo : max(lo, hi)]
            nulls = nulls[:0]
        else:
            present = asc_idx
        return Ordered(present if reverse else present[::-1], nulls)

    def _ascending(self, query: TaskQuery, list_mask):
        key = (query, self.state.version)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        found = np.flatnonzero(self._mask(query, list_mask))
        column = ORDER_COLUMNS.get(query.order_by)
        if column is None:
            result = (found, found, found[:0])
        else:
            keys = self.state.tasks.column(column)[found]
            has = keys >= 0
            present, present_keys = found[has], keys[has]
            order = np.argsort(present_keys, kind="stable")  # ties keep index (creation) order
            result = (present[order], present_keys[order], found[~has])
        self._cache[key] = result
        while len(self._cache) > self.cache_entries:
            self._cache.popitem(last=False)
        return result

    def _mask(self, q: TaskQuery, list_mask) -> np.ndarray:
        state, t = self.state, self.state.tasks
        world = state.world
        lst = t.column("lst")
        mask = ~t.column("deleted")
        mask &= t.column("archived") == q.archived
        if q.list_pos is None:
            mask &= t.column("ws") == q.ws
            hidden = np.array([world.list_hidden(x) for x in world.lists], dtype=np.bool_)
            mask &= ~hidden[lst]
        else:
            home = lst == q.list_pos
            if q.include_timl and state.relations.timl.get(q.list_pos):
                extra = np.zeros(t.n, dtype=np.bool_)
                extra[list(state.relations.timl[q.list_pos])] = True
                home |= extra
            mask &= home
        if list_mask is not None:
            mask &= list_mask[lst]
        hidden = state.hiding.task_mask()
        if hidden is not None:
            mask &= ~hidden
        if not q.include_closed:
            mask &= t.column("stype") != CLOSED
        if q.parent is not None:
            mask &= t.column("parent") == q.parent
        elif not q.subtasks:
            mask &= t.column("parent") < 0
        if q.spaces or q.folders or q.lists:
            space_of = np.array([x.space for x in world.lists], dtype=np.int32)
            folder_of = np.array([-1 if x.folder is None else x.folder for x in world.lists], dtype=np.int32)
            if q.spaces:
                mask &= np.isin(space_of[lst], q.spaces)
            if q.folders:
                mask &= np.isin(folder_of[lst], q.folders)
            if q.lists:
                mask &= np.isin(lst, q.lists)
        if q.statuses:
            allowed = np.zeros((len(world.lists), 16), dtype=np.bool_)
            for x in world.lists:
                for s in x.statuses:
                    allowed[x.pos, s.orderindex] = s.status.lower() in q.statuses
            mask &= allowed[lst, t.column("status")]
        if q.assignees:
            mask &= self._any_assignee(q.assignees)
        if q.watchers:
            mask &= self._any_assignee(q.watchers) | np.isin(t.column("creator"), q.watchers)
        if q.tags:
            bits = np.zeros(len(world.spaces), dtype=np.uint64)
            for s in world.spaces:
                for k, tag in enumerate(s.tags):
                    if tag.name.lower() in q.tags:
                        bits[s.pos] |= np.uint64(1 << k)
            space_of = np.array([x.space for x in world.lists], dtype=np.int32)
            mask &= (t.column("tags") & bits[space_of[lst]]) != 0
        if q.custom_items:
            mask &= np.isin(t.column("item"), q.custom_items)
        for column, op, value in q.ranges:
            values = t.column(column)
            mask &= (values >= 0) & (
                (values >= value)
                if (op, column) == ("gt", "updated")
                else (values > value)
                if op == "gt"
                else (values < value)
            )
        return mask

    def _any_assignee(self, users: tuple) -> np.ndarray:
        t = self.state.tasks
        found = np.zeros(t.n, dtype=np.bool_)
        for name in ("a0", "a1", "a2", "a3"):
            found |= np.isin(t.column(name), users)
        return found
