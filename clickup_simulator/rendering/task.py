"""Tasks as ClickUp renders them (the same object on the workspace, list and single-task endpoints).

`page_bytes` is the one place a task's JSON is decided; `render` parses those very bytes, so the truth
accessors cannot disagree with the HTTP answers. A task is its list's template (`parts`) filled
with values from the task columns, the task's hash (generated content) and its overrides (mutations):
generated tasks a page at a time (`page`), tasks with overrides or created at run time one by one
(`_task`, the same bytes). Rendered tasks are kept in a bounded cache that any change empties; once full
it keeps what it holds (for repeated walks over more tasks than fit, keeping a fixed part beats evicting
in order).
"""

from __future__ import annotations

import numpy as np
import orjson

from clickup_simulator.generation import customfields
from clickup_simulator.generation.mix import mix2_grid
from clickup_simulator.rendering import checklists, jsonio
from clickup_simulator.rendering import page as render_page
from clickup_simulator.rendering.parts import (
    EMPTY,
    FALSE,
    NULL,
    PRIORITIES,
    TRUE,
    ListParts,
    People,
    compact,
    name_json,
    texts_json,
    texts_table,
)

SUBTASK_DROPS = (
    "custom_id",
    "text_content",
    "description",
    "markdown_description",
    "priority",
    "team_id",
    "sharing",
    "permission_level",
    "list",
    "project",
    "folder",
    "space",
)
ROW = (
    "lst",
    "parent",
    "top",
    "status",
    "archived",
    "created",
    "updated",
    "closed",
    "done",
    "due",
    "start",
    "priority",
    "points",
    "estimate",
    "creator",
    "a0",
    "a1",
    "a2",
    "a3",
    "item",
    "tags",
    "rnd",
    "spent",
    "nentries",
)


class TaskRenderer(customfields.ValueContext):
    def __init__(self, state, cache_bytes: int = 256 << 20):
        self.state = state
        self._version = -1
        self._lists: dict[int, ListParts] = {}
        self._variants: dict[int, list] = {}  # field position -> its entries by variant
        self._choices: dict[int, list[int]] = {}
        self._cache: dict = {}  # filled until `cache_limit`; emptied by any change
        self._cache_size = 0
        self.cache_limit = cache_bytes
        self._field_table: render_page.FieldTable | None = None
        self.users_min = [orjson.dumps(state.user_min(k)) for k in range(len(state.world.users))]
        self.users_full = [orjson.dumps(state.user_full(k)) for k in range(len(state.world.users))]
        self.people = People(self.users_full)
        texts_table()

    def _fresh(self) -> None:
        if self._version != self.state.version:
            self._lists.clear()
            self._cache.clear()
            self._cache_size = 0
            self._version = self.state.version

    def parts(self, list_pos: int) -> ListParts:
        self._fresh()
        parts = self._lists.get(list_pos)
        if parts is None:
            parts = self._lists[list_pos] = ListParts(self, list_pos)
        return parts

    def variant_table(self, fld, prefix: bytes, whole: bytes, count: int) -> list | None:
        """Every serialised entry a finite-domain field can take (None for task-dependent fields). Field
        definitions and people never change, so tables live as long as the renderer."""
        if not count or count > customfields.MAX_VARIANT_TABLE:
            return None
        table = self._variants.get(fld.pos)
        if table is None:
            table = self._variants[fld.pos] = [
                self._field_entry(fld, prefix, customfields.variant_value(fld, k, self), whole)
                for k in range(count)
            ]
        return table

    # -- ValueContext (what generated custom field values refer to) -------------------------------
    def user(self, user_pos: int) -> dict:
        return self.state.user_full(user_pos)

    def user_choices(self, ws: int) -> list[int]:
        choices = self._choices.get(ws)
        if choices is None:
            choices = self._choices[ws] = [
                m.user.pos for m in self.state.world.workspaces[ws].members if m.joined
            ]
        return choices

    def task_count_before(self, index: int) -> int:
        return index - self.state.block_start(index)

    def task_ref(self, index: int) -> dict | None:
        t = self.state.tasks
        if t.column("deleted")[index]:
            return None
        parts = self.parts(int(t.column("lst")[index]))
        status = parts.statuses[int(t.column("status")[index])]
        item = int(t.column("item")[index])
        task_id = self.state.task_id(index)
        return {
            "id": task_id,
            "name": self.name(index),
            "status": status["status"],
            "color": status["color"],
            "custom_type": None if item == 0 else item,
            "team_id": parts.team_id,
            "deleted": False,
            "url": f"https://app.clickup.com/t/{task_id}",
            "access": True,
        }

    # -- per-task parts ---------------------------------------------------------------------------
    def name(self, index: int) -> str:
        return jsonio.loads(self._name_json(index, int(self.state.tasks.column("rnd")[index])))

    def _name_json(self, index: int, h: int) -> bytes:
        over = self.state.overrides.get(index)
        if over and "name" in over:
            return jsonio.dumps(over["name"])
        return name_json(h)

    def _texts_json(self, index: int, h: int, over) -> tuple[bytes, bytes]:
        if over and "description" in over:
            from clickup_simulator.generation.words import markdown

            return jsonio.dumps(over["description"]), jsonio.dumps(markdown(over["description"], h))
        return texts_json(h) if index < self.state.generated else (b'""', b'""')

    def _checklists(self, index: int, task_id: bytes, h: int, created: int, creator_id: int, people) -> bytes:
        if index >= self.state.generated or not checklists.has_checklists(h):
            return EMPTY
        return checklists.render_many(
            np.array([h], dtype=np.uint64), [task_id], [created], [creator_id], [people], self.users_full
        )[0]

    def _custom_fields(self, index: int, parts_fields, h: int, created: int, over, choices) -> bytes:
        """Entries of the task's `custom_fields` array. `choices[field pos]` is -1 (unset), the variant
        of a finite-domain field, or the raw draw of a task-dependent one (see `_field_choices`)."""
        fields, fast, dynamic = parts_fields
        values = over.get("fields") if over else None
        if values or index >= self.state.generated:
            return self._custom_fields_slowly(
                index, fields, h, created, values or {}, index < self.state.generated, choices
            )
        out = [
            whole if (k := choices[pos]) < 0 else table[k] if table is not None else None
            for pos, whole, table in fast
        ]
        for j, fld, prefix, whole in dynamic:
            if out[j] is None:
                value = customfields.dynamic_value(fld, choices[fld.pos], index, h, created, self)
                out[j] = self._field_entry(fld, prefix, value, whole)
        return b",".join(out)

    def _custom_fields_slowly(self, index, fields, h, created, values, generated, choices) -> bytes:
        out = []
        for fld, whole, prefix, _count, table in fields:
            if fld.pos in values:
                out.append(self._field_entry(fld, prefix, values[fld.pos], whole))
                continue
            k = choices[fld.pos] if generated else -1
            if k < 0:
                out.append(whole)
            elif table is not None:
                out.append(table[k])
            else:
                out.append(
                    self._field_entry(
                        fld, prefix, customfields.dynamic_value(fld, k, index, h, created, self), whole
                    )
                )
        return b",".join(out)

    def field_table(self) -> render_page.FieldTable:
        if self._field_table is None or self._field_table.size != len(self.state.world.fields):
            self._field_table = render_page.FieldTable(self)
        return self._field_table

    def _field_choices(self, hashes: np.ndarray) -> list[list[int]]:
        """Per task and field position: -1 when the generated field is unset, else its variant (finite
        domains) or its raw draw (task-dependent values). The draw is described in
        `generation.customfields`."""
        table = self.field_table()
        thresholds, counts = table.thresholds, table.counts
        draws = mix2_grid(hashes, table.keys)
        raw = draws >> np.uint64(16)
        picked = np.where(counts > 0, raw % np.maximum(counts, np.uint64(1)), raw).astype(np.int64)
        return np.where((draws & np.uint64(0xFFFF)) < thresholds, picked, -1).tolist()

    @staticmethod
    def _field_entry(fld, prefix: bytes, value, whole: bytes) -> bytes:
        if value is None:
            return whole
        tail = b',"value_richtext":null}' if fld.type == "text" else b"}"
        return prefix + jsonio.dumps(value) + tail

    def _relations(self, index: int, ws_id: str) -> tuple[bytes, bytes, bytes]:
        state = self.state
        rel = state.relations
        deps = links = locations = EMPTY
        if index in rel.deps or index in rel.links:
            deleted = state.tasks.column("deleted")
            users = state.world.users
            deps = orjson.dumps(
                [
                    {
                        "task_id": state.task_id(a),
                        "depends_on": state.task_id(b),
                        "type": 1,
                        "date_created": str(when),
                        "userid": str(users[u].id),
                        "workspace_id": ws_id,
                        "chain_id": None,
                    }
                    for a, b, when, u in rel.deps.get(index, ())
                    if not deleted[a] and not deleted[b]
                ]
            )
            links = orjson.dumps(
                [
                    {
                        "task_id": state.task_id(a),
                        "link_id": state.task_id(b),
                        "date_created": str(when),
                        "userid": str(users[u].id),
                        "workspace_id": ws_id,
                    }
                    for a, b, when, u in rel.links.get(index, ())
                    if not deleted[a] and not deleted[b]
                ]
            )
        if index in rel.locations:
            world = state.world
            locations = jsonio.dumps(
                [
                    {"id": world.lists[p].id, "name": world.lists[p].name}
                    for p in rel.locations[index]
                    if not world.list_gone(world.lists[p]) and not state.hiding.list(world.lists[p])
                ]
            )
        return compact(deps), compact(links), compact(locations)

    # -- the task ---------------------------------------------------------------------------------
    def _task(
        self,
        index: int,
        row: tuple,
        markdown: bool,
        draws: list,
        task_id: bytes,
        parent_id: bytes,
        top_id: bytes,
    ) -> bytes:
        (
            lst,
            parent,
            top,
            status,
            archived,
            created,
            updated,
            closed,
            done,
            due,
            start,
            priority,
            points,
            estimate,
            creator,
            a0,
            a1,
            a2,
            a3,
            item,
            tag_bits,
            h,
            spent,
            nentries,
        ) = row
        state = self.state
        parts = self._lists.get(lst) or self.parts(lst)
        over = state.overrides.get(index)
        text, md = self._texts_json(index, h, over)
        assignees = [a for a in (a0, a1, a2, a3) if a >= 0]
        watchers = [creator] + [a for a in assignees if a != creator]
        full = self.users_full
        deps, links, locations = self._relations(index, parts.team_id)
        fields = parts.fields.get(item) or parts.fields[0]
        head = (
            (task_id, item, self._name_json(index, h), text, text, md)
            if markdown
            else (task_id, item, self._name_json(index, h), text, text)
        )
        return parts.templates[markdown] % (
            *head,
            parts.status_bytes[status],
            h % 900_000_000 + 1000,
            created,
            updated,
            NULL if closed < 0 else b'"%d"' % closed,
            NULL if done < 0 else b'"%d"' % done,
            TRUE if archived else FALSE,
            self.users_min[creator],
            b",".join([full[a] for a in assignees]),
            b",".join([full[w] for w in watchers]),
            self._checklists(index, task_id, h, created, state.world.users[creator].id, watchers),
            b",".join([t for k, t in enumerate(parts.tags) if tag_bits >> k & 1]) if tag_bits else b"",
            NULL if parent < 0 else b'"%s"' % parent_id,
            NULL if top < 0 else b'"%s"' % top_id,
            PRIORITIES[priority],
            NULL if due < 0 else b'"%d"' % due,
            NULL if start < 0 else b'"%d"' % start,
            NULL if points < 0 else b"%d" % points,
            NULL if estimate < 0 else b"%d" % estimate,
            b',"time_spent":%d' % spent if parts.time_tracking else b"",
            self._custom_fields(index, fields, h, created, over, draws),
            deps,
            links,
            locations,
            task_id,
        )

    def page_bytes(self, indices, markdown: bool) -> list[bytes]:
        """The serialised tasks at `indices`."""
        return [
            part if type(part) is bytes else render_page.fill(*part)
            for part in self._parts(indices, markdown)
        ]

    def page_json(self, indices, markdown: bool) -> bytes:
        """`b",".join(page_bytes(indices, markdown))`."""
        return render_page.join_tasks(self._parts(indices, markdown))

    def _parts(self, indices, markdown: bool) -> list:
        """The tasks at `indices`, as bytes or (pieces, values) for `render_page.fill`; cached while nothing
        changes, generated tasks in the second form: a fraction of their size, as most values are shared."""
        self._fresh()
        cache = self._cache
        out: list = [None] * len(indices)
        missing = []
        for k, index in enumerate(indices):
            hit = cache.get(index * 2 + markdown)
            if hit is None:
                missing.append(k)
            else:
                out[k] = hit
        if missing:
            tasks, ids, state = self.state.tasks, self.state.task_ids, self.state
            if len(ids.table) < tasks.n:
                ids.grow(tasks.n)
            overrides, generated = state.overrides, state.generated
            fast = [k for k in missing if indices[k] < generated and indices[k] not in overrides]
            slow = (
                [k for k in missing if indices[k] >= generated or indices[k] in overrides]
                if len(fast) < len(missing)
                else []
            )
            room = self._cache_size < self.cache_limit  # when full, keep what is cached (no churn)
            if fast:
                parts = render_page.render_quietly(
                    self, np.array([indices[k] for k in fast], dtype=np.int64), markdown
                )
                for k, part in zip(fast, parts, strict=True):
                    out[k] = part
                    if room:
                        cache[indices[k] * 2 + markdown] = part
                if room:
                    self._cache_size += render_page.CACHED_TASK_BYTES * len(fast)
            if slow:
                for k, data in zip(slow, self._slowly([indices[k] for k in slow], markdown), strict=True):
                    out[k] = data
                    if room:
                        cache[indices[k] * 2 + markdown] = data
                        self._cache_size += len(data)
        return out

    def _slowly(self, indices: list[int], markdown: bool) -> list[bytes]:
        """Tasks one at a time (those with overrides or created at run time)."""
        tasks, ids = self.state.tasks, self.state.task_ids
        wanted = np.array(indices, dtype=np.int64)
        rows = tasks.rows(wanted, ROW)
        grid = self._field_choices(tasks.column("rnd")[wanted])
        own = ids.table[wanted].tolist()
        parents = ids.table[np.maximum(tasks.column("parent")[wanted], 0)].tolist()
        tops = ids.table[np.maximum(tasks.column("top")[wanted], 0)].tolist()
        return [
            self._task(index, row, markdown, draws, task_id, parent_id, top_id)
            for index, row, draws, task_id, parent_id, top_id in zip(
                indices, rows, grid, own, parents, tops, strict=True
            )
        ]

    def task_bytes(self, index: int, markdown: bool = True) -> bytes:
        return self.page_bytes([index], markdown)[0]

    def render(self, index: int, markdown: bool = True) -> dict:
        return jsonio.loads(self.task_bytes(index, markdown))

    def render_subtask(self, index: int) -> dict:
        task = self.render(index, markdown=False)
        for key in SUBTASK_DROPS:
            task.pop(key, None)
        task["status"].pop("id", None)
        task.setdefault("time_spent", 0)
        return task
