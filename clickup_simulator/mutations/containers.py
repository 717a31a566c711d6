"""Creating spaces and renaming lists, folders and spaces.

A new space is set up the way ClickUp sets one up: public, with the workspace's first space's
features, the first status set of the generator and one folderless list named "List" (ClickUp creates
that list with every space, and says so with a `listCreated` event)."""

from __future__ import annotations

import copy

from clickup_simulator.generation.hierarchy import STATUS_SETS, status_objects
from clickup_simulator.generation.world import Space
from clickup_simulator.rendering import hierarchy as render_hierarchy

DEFAULT_LIST = "List"


class ContainerMutations:
    def create_space(self, workspace_id: str, name: str | None = None) -> dict:
        """A public space (with its default list) in the workspace; returns it as `GET /space/{id}`."""
        with self.state.lock:
            ws = self.workspace(workspace_id)
            world = self.state.world
            model = next(s for s in world.spaces if s.ws == ws.pos)
            space_id = self._new_id(s.id for s in world.spaces)
            hidden = self._new_id([f.id for f in world.folders] + [s.hidden_folder_id for s in world.spaces])
            space = Space(
                pos=len(world.spaces),
                ws=ws.pos,
                id=space_id,
                name=name or f"Space {len(world.spaces) + 1}",
                color=model.color,
                private=False,
                statuses=status_objects(f"p{space_id}", STATUS_SETS[0], self.config.seed),
                features=copy.deepcopy(model.features),
                hidden_folder_id=hidden,
            )
            world.spaces.append(space)
            self.state.reindex()
            self._add_list(space, None, DEFAULT_LIST)
            self.state.touch()
            return render_hierarchy.space(self.state, space)

    def rename_list(self, list_id: str, name: str) -> dict:
        with self.state.lock:
            lst = self._live_list(list_id)
            lst.name = str(name)
            self.state.touch()
            return render_hierarchy.list_detail(self.state, lst)

    def rename_folder(self, folder_id: str, name: str) -> dict:
        with self.state.lock:
            folder = self._live_folder(folder_id)
            folder.name = str(name)
            self.state.touch()
            return render_hierarchy.folder(self.state, folder, self.state.world.tokens[0], self.access)

    def rename_space(self, space_id: str, name: str) -> dict:
        with self.state.lock:
            space = self._live_space(space_id)
            space.name = str(name)
            self.state.touch()
            return render_hierarchy.space(self.state, space)
