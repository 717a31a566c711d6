"""Who may see what: tokens, the workspaces they reach, and object visibility by role.

Owners and admins see everything in their workspace; members everything but private spaces they are
not a member of; guests only the lists shared with them (and the spaces and folders around those).
Objects hidden from every token (`hiding`) are seen by no one, owners included. A workspace a token
does not reach answers 401 `OAUTH_027`; an object inside a reached workspace the token may not see
answers 401 `ACCESS_083` for tasks and 401 `ACCESS_080` otherwise (`api.routing.Request`).
"""

from __future__ import annotations

import numpy as np


class Access:
    def __init__(self, state):
        self.state = state
        self._masks: dict[tuple, np.ndarray | None] = {}

    def token(self, value: str):
        return self.state.token_by_value.get(value)

    def reaches(self, token, ws: int) -> bool:
        return ws in token.workspaces

    def role(self, token, ws: int) -> int | None:
        if not self.reaches(token, ws):
            return None
        member = self.state.world.workspaces[ws].member(token.user)
        return member.role if member else None

    def sees_everything(self, token, ws: int) -> bool:
        return self.role(token, ws) in (1, 2)

    def space_visible(self, token, space) -> bool:
        if self.state.hiding.space(space):
            return False
        role = self.role(token, space.ws)
        if role in (1, 2):
            return True
        if role == 3:
            return not space.private or token.user in space.member_pos
        if role == 4:
            return any(
                self.list_visible(token, lst) for lst in self.state.world.lists if lst.space == space.pos
            )
        return False

    def folder_visible(self, token, folder) -> bool:
        if self.state.hiding.folder(folder):
            return False
        role = self.role(token, folder.ws)
        if role == 4:
            world = self.state.world
            return any(
                self.list_visible(token, lst)
                for lst in world.lists
                if lst.folder is not None and self._under(lst.folder, folder.pos)
            )
        return self.space_visible(token, self.state.world.spaces[folder.space])

    def _under(self, folder_pos: int, ancestor: int) -> bool:
        while folder_pos is not None:
            if folder_pos == ancestor:
                return True
            folder_pos = self.state.world.folders[folder_pos].parent
        return False

    def list_visible(self, token, lst) -> bool:
        if self.state.hiding.list(lst):
            return False
        role = self.role(token, lst.ws)
        if role == 4:
            return token.user in lst.guest_pos
        return role is not None and self.space_visible(token, self.state.world.spaces[lst.space])

    def visibility_key(self, token, ws: int):
        return "all" if self.sees_everything(token, ws) else (token.token, self.state.version)

    def list_mask(self, token, ws: int) -> np.ndarray | None:
        """Visible lists as a boolean array over list positions (None = every list)."""
        if self.sees_everything(token, ws) and not self.state.hiding.count:
            return None
        key = (token.token, ws, self.state.version)
        if key not in self._masks:
            self._masks.clear()
            self._masks[key] = np.array(
                [self.list_visible(token, lst) for lst in self.state.world.lists], dtype=np.bool_
            )
        return self._masks[key]

    def task_visible(self, token, index: int) -> bool:
        if self.state.hiding.task(index):
            return False
        lst = self.state.world.lists[int(self.state.tasks.column("lst")[index])]
        return self.list_visible(token, lst)

    def task_mask(self, token, ws: int) -> np.ndarray | None:
        """Visible tasks as a boolean array over task indices (None = every task): the tasks of the
        lists the token sees, less hidden tasks and their subtasks."""
        lists = self.list_mask(token, ws)
        hidden = self.state.hiding.task_mask()
        if lists is None and hidden is None:
            return None
        t = self.state.tasks
        mask = np.ones(t.n, dtype=np.bool_) if lists is None else lists[t.column("lst")]
        return mask if hidden is None else mask & ~hidden
