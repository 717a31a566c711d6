"""Changes to the hierarchy: create lists and folders; archive, unarchive and delete lists, folders
and spaces. Deleting a container deletes everything inside it, tasks included (recorded as deleted);
archiving hides its tasks from `GET /team/{id}/task` but keeps them readable list by list."""

from __future__ import annotations

import numpy as np

from clickup_simulator.generation.mix import mix
from clickup_simulator.generation.world import Folder, Lst
from clickup_simulator.rendering import hierarchy as render_hierarchy


class HierarchyMutations:
    def _live_list(self, list_id: str) -> Lst:
        lst = self.state.list_by_id.get(str(list_id))
        if lst is None or self.state.world.list_gone(lst):
            raise LookupError(f"no list {list_id}")
        return lst

    def _live_folder(self, folder_id: str) -> Folder:
        folder = self.state.folder_by_id.get(str(folder_id))
        if folder is None or folder.deleted or self.state.world.spaces[folder.space].deleted:
            raise LookupError(f"no folder {folder_id}")
        return folder

    def _live_space(self, space_id: str):
        space = self.state.space_by_id.get(str(space_id))
        if space is None or space.deleted:
            raise LookupError(f"no space {space_id}")
        return space

    def _new_id(self, existing) -> str:
        top = max(int(x) for x in existing)
        return str(top + 1 + mix(self.config.seed, top) % 50)

    # -- create -------------------------------------------------------------------------------------
    def create_list(self, parent_id: str, name: str | None = None) -> dict:
        """A list in a folder (`parent_id` = folder id) or a folderless list (`parent_id` = space id)."""
        with self.state.lock:
            world = self.state.world
            if str(parent_id) in self.state.folder_by_id:
                folder = self._live_folder(parent_id)
                space, folder_pos = world.spaces[folder.space], folder.pos
            else:
                space, folder_pos = self._live_space(parent_id), None
            lst = self._add_list(space, folder_pos, name)
            self.state.touch()
            return render_hierarchy.list_item(self.state, lst)

    def _add_list(self, space, folder_pos: int | None, name: str | None) -> Lst:
        world = self.state.world
        siblings = [x for x in world.lists if x.space == space.pos and x.folder == folder_pos]
        lst = Lst(
            pos=len(world.lists),
            ws=space.ws,
            space=space.pos,
            folder=folder_pos,
            id=self._new_id(x.id for x in world.lists),
            name=name or f"List {len(world.lists) + 1}",
            orderindex=len(siblings),
            content="",
            statuses=space.statuses,
        )
        world.lists.append(lst)
        self.state.reindex()
        return lst

    def create_folder(
        self, space_id: str, name: str | None = None, parent_folder_id: str | None = None
    ) -> dict:
        with self.state.lock:
            world = self.state.world
            space = self._live_space(space_id)
            parent = self._live_folder(parent_folder_id).pos if parent_folder_id else None
            folder = Folder(
                pos=len(world.folders),
                ws=space.ws,
                space=space.pos,
                id=self._new_id([f.id for f in world.folders] + [s.hidden_folder_id for s in world.spaces]),
                name=name or f"Folder {len(world.folders) + 1}",
                orderindex=sum(1 for f in world.folders if f.space == space.pos),
                parent=parent,
            )
            world.folders.append(folder)
            self.state.reindex()
            self.state.touch()
            return render_hierarchy.folder(self.state, folder, self.state.world.tokens[0], self.access)

    # -- archive ------------------------------------------------------------------------------------
    def archive_list(self, list_id: str, archived: bool = True) -> None:
        with self.state.lock:
            self._live_list(list_id).archived = bool(archived)
            self.state.touch()

    def unarchive_list(self, list_id: str) -> None:
        self.archive_list(list_id, False)

    def archive_folder(self, folder_id: str, archived: bool = True) -> None:
        with self.state.lock:
            self._live_folder(folder_id).archived = bool(archived)
            self.state.touch()

    def unarchive_folder(self, folder_id: str) -> None:
        self.archive_folder(folder_id, False)

    def archive_space(self, space_id: str, archived: bool = True) -> None:
        with self.state.lock:
            self._live_space(space_id).archived = bool(archived)
            self.state.touch()

    def unarchive_space(self, space_id: str) -> None:
        self.archive_space(space_id, False)

    # -- delete -------------------------------------------------------------------------------------
    def _delete_lists(self, lists: list[Lst]) -> None:
        now = self.clock.now_ms()
        positions = [lst.pos for lst in lists if not lst.deleted]
        t = self.state.tasks
        doomed = np.flatnonzero(np.isin(t.column("lst"), positions) & ~t.column("deleted")).tolist()
        self._delete_tasks(doomed)
        for lst in lists:
            if not lst.deleted:
                lst.deleted = True
                self.state.deletions.add(lst.ws, "lists", lst.id, now)

    def delete_list(self, list_id: str) -> None:
        with self.state.lock:
            self._delete_lists([self._live_list(list_id)])
            self.state.touch()

    def _folder_tree(self, folder: Folder) -> list[Folder]:
        tree, frontier = [folder], [folder.pos]
        while frontier:
            children = [f for f in self.state.world.folders if f.parent in frontier and not f.deleted]
            tree += children
            frontier = [f.pos for f in children]
        return tree

    def delete_folder(self, folder_id: str) -> None:
        with self.state.lock:
            tree = self._folder_tree(self._live_folder(folder_id))
            inside = {f.pos for f in tree}
            self._delete_lists([x for x in self.state.world.lists if x.folder in inside])
            now = self.clock.now_ms()
            for f in tree:
                f.deleted = True
                self.state.deletions.add(f.ws, "folders", f.id, now)
            self.state.touch()

    def delete_space(self, space_id: str) -> None:
        with self.state.lock:
            space = self._live_space(space_id)
            world = self.state.world
            now = self.clock.now_ms()
            self._delete_lists([x for x in world.lists if x.space == space.pos])
            for f in world.folders:
                if f.space == space.pos and not f.deleted:
                    f.deleted = True
                    self.state.deletions.add(f.ws, "folders", f.id, now)
            space.deleted = True
            self.state.deletions.add(space.ws, "spaces", space.id, now)
            self.state.touch()
