"""Ground truth: what a complete extraction through the API should hold, record by record.

Every accessor returns the records exactly as the API serves them (the same rendering code), in the
variant the pipeline asks for: tasks with `include_markdown_description=true`, fields with
`include_applied_objects=true`, time entries with `include_location_names` and `include_task_tags`,
goals as `GET /goal/{id}` returns them. Without a `token` the owner's view is used (the primary token
sees everything it can reach); archived, closed and subtasks are always included, deleted objects
never, and neither are objects hidden from every token (`access.hiding`) nor anything under them: the
truth is what a token can read.
"""

from __future__ import annotations

import numpy as np

from clickup_simulator.rendering import goals as render_goals
from clickup_simulator.rendering import hierarchy as render_hierarchy
from clickup_simulator.state import timeinstatus


class Truth:
    def __init__(self, sim):
        self._sim = sim
        self._state = sim.state

    def _ws(self, workspace_id: str):
        return self._sim.workspace(workspace_id)

    def _token(self, token: str | None):
        return self._state.token_by_value[token or self._sim.config.token]

    # -- workspace level ----------------------------------------------------------------------------
    def workspace_ids(self, token: str | None = None) -> list[str]:
        t = self._token(token)
        return [self._state.world.workspaces[w].id for w in t.workspaces]

    def team(self, workspace_id: str) -> dict:
        """The workspace's entry of `GET /team`."""
        return render_hierarchy.team(self._state, self._ws(workspace_id))

    def members(self, workspace_id: str) -> list[dict]:
        """`members[]` of the workspace's `GET /team` entry (owner, admins, members, guests, invitees)."""
        return self.team(workspace_id)["members"]

    def user(self, token: str | None = None) -> dict:
        return render_hierarchy.user(self._state, self._token(token))["user"]

    def groups(self, workspace_id: str) -> list[dict]:
        ws = self._ws(workspace_id)
        return [render_hierarchy.group(self._state, g, ws) for g in ws.groups]

    # -- hierarchy ----------------------------------------------------------------------------------
    def spaces(self, workspace_id: str) -> list[dict]:
        ws = self._ws(workspace_id)
        hiding = self._state.hiding
        return [
            render_hierarchy.space(self._state, s)
            for s in self._state.world.spaces
            if s.ws == ws.pos and not s.deleted and not hiding.space(s)
        ]

    def folders(self, workspace_id: str) -> list[dict]:
        """Folders and subfolders (archived too) as `GET /space/{id}/folder` renders them."""
        ws = self._ws(workspace_id)
        world, token = self._state.world, self._token(None)
        return [
            render_hierarchy.folder(self._state, f, token, self._sim.access)
            for f in world.folders
            if f.ws == ws.pos and not self._folder_gone(f) and not self._state.hiding.folder(f)
        ]

    def _folder_gone(self, f) -> bool:
        world = self._state.world
        if world.spaces[f.space].deleted:
            return True
        pos = f.pos
        while pos is not None:
            if world.folders[pos].deleted:
                return True
            pos = world.folders[pos].parent
        return False

    def lists(self, workspace_id: str) -> list[dict]:
        """Folderless and foldered lists (archived too) as the list endpoints render them."""
        ws = self._ws(workspace_id)
        world = self._state.world
        return [
            render_hierarchy.list_item(self._state, lst)
            for lst in world.lists
            if lst.ws == ws.pos and not world.list_gone(lst) and not self._state.hiding.list(lst)
        ]

    def archived_list_ids(self, workspace_id: str) -> list[str]:
        """Lists whose tasks `GET /team/{id}/task` leaves out (archived, or under an archived parent)."""
        ws = self._ws(workspace_id)
        world = self._state.world
        return [
            lst.id
            for lst in world.lists
            if lst.ws == ws.pos
            and not world.list_gone(lst)
            and world.list_hidden(lst)
            and not self._state.hiding.list(lst)
        ]

    def tags(self, workspace_id: str) -> dict[str, list[dict]]:
        """Space id → that space's tags."""
        return {
            s["id"]: render_hierarchy.tags(self._state.space_by_id[s["id"]])
            for s in self.spaces(workspace_id)
        }

    def custom_fields(self, workspace_id: str) -> list[tuple[str, str, dict]]:
        """(level, id of the workspace/space/folder/list that created it, definition) for every field."""
        ws = self._ws(workspace_id)
        world = self._state.world
        owners = {
            "workspace": lambda p: world.workspaces[p].id,
            "space": lambda p: world.spaces[p].id,
            "folder": lambda p: world.folders[p].id,
            "list": lambda p: world.lists[p].id,
        }
        out = []
        for f in world.fields:
            if f.ws != ws.pos or not self._field_alive(f):
                continue
            out.append((f.level, owners[f.level](f.owner), render_hierarchy.fields([f], True)[0]))
        return out

    def _field_alive(self, f) -> bool:
        world, hiding = self._state.world, self._state.hiding
        if f.level == "space":
            return not world.spaces[f.owner].deleted and not hiding.space(world.spaces[f.owner])
        if f.level == "folder":
            folder = world.folders[f.owner]
            return not self._folder_gone(folder) and not hiding.folder(folder)
        if f.level == "list":
            lst = world.lists[f.owner]
            return not world.list_gone(lst) and not hiding.list(lst)
        return True

    def list_fields(self, list_id: str) -> list[dict]:
        """`GET /list/{id}/field`: every field usable in the list."""
        lst = self._state.list_by_id[str(list_id)]
        return render_hierarchy.fields(self._state.world.fields_for_list(lst), True)

    # -- tasks --------------------------------------------------------------------------------------
    def task_indices(self, workspace_id: str, token: str | None = None) -> list[int]:
        ws = self._ws(workspace_id)
        t = self._state.tasks
        mask = (t.column("ws") == ws.pos) & ~t.column("deleted")
        visible = self._sim.access.task_mask(self._token(token), ws.pos)
        return np.flatnonzero(mask if visible is None else mask & visible).tolist()

    def tasks(self, workspace_id: str, markdown: bool = True, token: str | None = None) -> list[dict]:
        """Every existing task of the workspace (subtasks, closed, archived, in archived lists), in
        creation order."""
        with self._state.lock:
            return [self._sim.renderer.render(i, markdown) for i in self.task_indices(workspace_id, token)]

    def task_ids(self, workspace_id: str) -> list[str]:
        return [self._state.task_id(i) for i in self.task_indices(workspace_id)]

    def task(self, task_id: str, markdown: bool = True) -> dict | None:
        index = self._state.task_index(task_id)
        if index is None or self._state.tasks.column("deleted")[index]:
            return None
        if not self._sim.access.task_visible(self._token(None), index):
            return None
        with self._state.lock:
            return self._sim.renderer.render(index, markdown)

    # -- comments -----------------------------------------------------------------------------------
    def comments(self, task_id: str) -> list[dict]:
        """The task's comments, newest first (all pages)."""
        index = self._state.task_index(task_id)
        return [self._sim.comments.render(c) for c in self._sim.comments.top_level(index)]

    def replies(self, comment_id: str) -> list[dict]:
        record = self._sim.comments.record(comment_id)
        return (
            []
            if record is None
            else [self._sim.comments.render(r) for r in self._sim.comments.replies(record)]
        )

    def all_comments(self, workspace_id: str) -> list[tuple[str, str, dict]]:
        """(parent type "task" | "comment", parent id, comment) for every comment and reply."""
        out = []
        comments = self._sim.comments
        for index in self.task_indices(workspace_id):
            task_id = self._state.task_id(index)
            for c in comments.top_level(index):
                out.append(("task", task_id, comments.render(c)))
                for r in comments.replies(c):
                    out.append(("comment", c["id"], comments.render(r)))
        return out

    # -- time ---------------------------------------------------------------------------------------
    def time_entries(
        self, workspace_id: str, location_names: bool = True, task_tags: bool = True
    ) -> list[dict]:
        """Every live time entry of every user, oldest first."""
        ws = self._ws(workspace_id)
        sim = self._sim
        alive = ~self._state.tasks.column("deleted")
        visible = sim.access.task_mask(self._token(None), ws.pos)
        found = sim.entries.select(
            ws.pos, -(1 << 62), 1 << 62, None, task_mask=alive if visible is None else alive & visible
        )
        now = sim.now_ms()
        return [
            sim.entries.render(int(k), self._state, sim.renderer, now, location_names, task_tags)
            for k in found
        ]

    def time_in_status(self, workspace_id: str) -> dict[str, dict]:
        """Task id → its time in status ({} when the workspace has the ClickApp off)."""
        ws = self._ws(workspace_id)
        if not ws.tis_enabled:
            return {}
        now = self._sim.now_ms()
        return {
            self._state.task_id(i): timeinstatus.render(self._state, i, now)
            for i in self.task_indices(workspace_id)
        }

    # -- goals --------------------------------------------------------------------------------------
    def goals(self, workspace_id: str) -> list[dict]:
        """Every goal (completed ones and those in goal folders too) as `GET /goal/{id}` returns it."""
        ws = self._ws(workspace_id)
        return [
            render_goals.goal_detail(self._state, g)
            for g in self._state.world.goals
            if g.ws == ws.pos and not g.deleted
        ]

    def key_results(self, workspace_id: str) -> list[dict]:
        return [kr for g in self.goals(workspace_id) for kr in g["key_results"]]

    # -- webhooks -----------------------------------------------------------------------------------
    def webhooks(self, workspace_id: str) -> list[dict]:
        """Every user's webhooks of the workspace, as `GET /team/{id}/webhook` renders them."""
        return self._sim.webhooks.all(workspace_id)

    # -- deletions ----------------------------------------------------------------------------------
    def deleted(self, workspace_id: str) -> dict[str, dict[str, int]]:
        """Kind ("tasks", "lists", "folders", "spaces", "comments", "time_entries", "goals") → {id: deleted
        at ms}."""
        ws = self._ws(workspace_id)
        kinds = ("tasks", "lists", "folders", "spaces", "comments", "time_entries", "goals")
        return {kind: self._state.deletions.of(ws.pos, kind) for kind in kinds}
