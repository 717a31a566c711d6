"""The list, folder, space and goal mutations, observed: each runs as before, then queues the webhook
events ClickUp sends for it.

  create_list / rename_list / archive_list, unarchive_list / delete_list
        listCreated / listUpdated (a history item: field "name" or "archived") / listDeleted
  create_folder / rename_folder / archive_folder, unarchive_folder / delete_folder
        folderCreated / folderUpdated / listDeleted for each list inside, then folderDeleted for each
        subfolder and the folder
  create_space  spaceCreated, listCreated (its default list), spaceUpdated
  rename_space / archive_space, unarchive_space   spaceUpdated
  delete_space  listDeleted for each list, folderDeleted for each folder, then spaceDeleted
  create_goal / update_goal / delete_goal   goalCreated / goalUpdated / goalDeleted
Create and delete events, and folder, space and goal updates, carry only the object's id.
"""

from __future__ import annotations

from clickup_simulator.webhooks.history import LIST


class HierarchyObservers:
    def _listening(self, ws: int) -> bool:
        return self.webhook_emitter.listening(ws)

    def _list_event(self, event: str, lst, history=None) -> None:
        self.webhook_emitter.send(event, self.webhook_emitter.at_list(lst), {"list_id": lst.id}, history)

    def _folder_event(self, event: str, folder) -> None:
        self.webhook_emitter.send(event, self.webhook_emitter.at_folder(folder), {"folder_id": folder.id})

    def _space_event(self, event: str, space) -> None:
        self.webhook_emitter.send(event, self.webhook_emitter.at_space(space), {"space_id": space.id})

    def _list_changed(self, lst, field: str, before, after) -> None:
        user = self.state.world.workspaces[lst.ws].members[0].user.pos
        item = self.webhook_history.item(
            LIST, field, lst.id, user, self.clock.now_ms(), before=before, after=after
        )
        self._list_event("listUpdated", lst, [item])

    # -- lists --------------------------------------------------------------------------------------
    def create_list(self, parent_id: str, name: str | None = None) -> dict:
        with self.state.lock:
            created = super().create_list(parent_id, name)
            lst = self.state.list_by_id[created["id"]]
            if self._listening(lst.ws):
                self._list_event("listCreated", lst)
            return created

    def rename_list(self, list_id: str, name: str) -> dict:
        with self.state.lock:
            lst = self._live_list(list_id)
            before = lst.name
            renamed = super().rename_list(list_id, name)
            if self._listening(lst.ws) and before != lst.name:
                self._list_changed(lst, "name", before, lst.name)
            return renamed

    def archive_list(self, list_id: str, archived: bool = True) -> None:
        with self.state.lock:
            lst = self._live_list(list_id)
            before = lst.archived
            super().archive_list(list_id, archived)
            if self._listening(lst.ws) and before != lst.archived:
                self._list_changed(lst, "archived", before, lst.archived)

    def delete_list(self, list_id: str) -> None:
        with self.state.lock:
            lst = self._live_list(list_id)
            super().delete_list(list_id)
            if self._listening(lst.ws):
                self._list_event("listDeleted", lst)

    # -- folders ------------------------------------------------------------------------------------
    def create_folder(
        self, space_id: str, name: str | None = None, parent_folder_id: str | None = None
    ) -> dict:
        with self.state.lock:
            created = super().create_folder(space_id, name, parent_folder_id)
            folder = self.state.folder_by_id[created["id"]]
            if self._listening(folder.ws):
                self._folder_event("folderCreated", folder)
            return created

    def rename_folder(self, folder_id: str, name: str) -> dict:
        with self.state.lock:
            folder = self._live_folder(folder_id)
            before = folder.name
            renamed = super().rename_folder(folder_id, name)
            if self._listening(folder.ws) and before != folder.name:
                self._folder_event("folderUpdated", folder)
            return renamed

    def archive_folder(self, folder_id: str, archived: bool = True) -> None:
        with self.state.lock:
            folder = self._live_folder(folder_id)
            before = folder.archived
            super().archive_folder(folder_id, archived)
            if self._listening(folder.ws) and before != folder.archived:
                self._folder_event("folderUpdated", folder)

    def _live_lists(self, test) -> list:
        world = self.state.world
        return [x for x in world.lists if test(x) and not world.list_gone(x)]

    def delete_folder(self, folder_id: str) -> None:
        with self.state.lock:
            tree = self._folder_tree(self._live_folder(folder_id))
            inside = {f.pos for f in tree}
            lists = self._live_lists(lambda x: x.folder in inside)
            super().delete_folder(folder_id)
            if self._listening(tree[0].ws):
                for lst in lists:
                    self._list_event("listDeleted", lst)
                for folder in reversed(tree):
                    self._folder_event("folderDeleted", folder)

    # -- spaces -------------------------------------------------------------------------------------
    def create_space(self, workspace_id: str, name: str | None = None) -> dict:
        with self.state.lock:
            created = super().create_space(workspace_id, name)
            space = self.state.space_by_id[created["id"]]
            if self._listening(space.ws):
                self._space_event("spaceCreated", space)
                for lst in self._live_lists(lambda x: x.space == space.pos):
                    self._list_event("listCreated", lst)
                self._space_event("spaceUpdated", space)
            return created

    def rename_space(self, space_id: str, name: str) -> dict:
        with self.state.lock:
            space = self._live_space(space_id)
            before = space.name
            renamed = super().rename_space(space_id, name)
            if self._listening(space.ws) and before != space.name:
                self._space_event("spaceUpdated", space)
            return renamed

    def archive_space(self, space_id: str, archived: bool = True) -> None:
        with self.state.lock:
            space = self._live_space(space_id)
            before = space.archived
            super().archive_space(space_id, archived)
            if self._listening(space.ws) and before != space.archived:
                self._space_event("spaceUpdated", space)

    def delete_space(self, space_id: str) -> None:
        with self.state.lock:
            space = self._live_space(space_id)
            lists = self._live_lists(lambda x: x.space == space.pos)
            folders = [f for f in self.state.world.folders if f.space == space.pos and not f.deleted]
            super().delete_space(space_id)
            if self._listening(space.ws):
                for lst in lists:
                    self._list_event("listDeleted", lst)
                for folder in folders:
                    self._folder_event("folderDeleted", folder)
                self._space_event("spaceDeleted", space)

    # -- goals --------------------------------------------------------------------------------------
    def _goal_event(self, event: str, goal_id: str) -> None:
        goal = self.state.goal_by_id[goal_id]
        if self._listening(goal.ws):
            where = self.webhook_emitter.at_workspace(goal.ws)
            self.webhook_emitter.send(event, where, {"goal_id": goal.id})

    def create_goal(self, workspace_id: str, *args, **kwargs) -> dict:
        with self.state.lock:
            goal = super().create_goal(workspace_id, *args, **kwargs)
            self._goal_event("goalCreated", goal["id"])
            return goal

    def update_goal(self, goal_id: str, **changes) -> dict:
        with self.state.lock:
            goal = super().update_goal(goal_id, **changes)
            self._goal_event("goalUpdated", goal["id"])
            return goal

    def delete_goal(self, goal_id: str) -> None:
        with self.state.lock:
            super().delete_goal(goal_id)
            self._goal_event("goalDeleted", str(goal_id))
