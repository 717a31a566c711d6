"""Hiding and unhiding tasks, lists, folders and spaces: making them private to every token, the owner
included, or public again (what hidden means for reads: `access.hiding`)."""

from __future__ import annotations

from clickup_simulator.access.hiding import KINDS


class HideMutations:
    """`hide(kind, id)` / `unhide(kind, id)` and their per-kind forms (`hide_task`, `unhide_list`, …)."""

    def hide(self, kind: str, object_id: str, hidden: bool = True) -> None:
        """Make a task, list, folder or space private to every token (or public again)."""
        if kind not in KINDS:
            raise ValueError(f"only {', '.join(KINDS)} can be hidden, not {kind!r}")
        with self.state.lock:
            if kind == "task":
                pos = self._task(object_id)
            else:
                pos = {"list": self._live_list, "folder": self._live_folder, "space": self._live_space}[kind](
                    object_id
                ).pos
            self.state.hiding.set(kind, pos, hidden)
            self.state.touch()

    def unhide(self, kind: str, object_id: str) -> None:
        self.hide(kind, object_id, hidden=False)

    def hide_task(self, task_id: str) -> None:
        self.hide("task", task_id)

    def unhide_task(self, task_id: str) -> None:
        self.unhide("task", task_id)

    def hide_list(self, list_id: str) -> None:
        self.hide("list", list_id)

    def unhide_list(self, list_id: str) -> None:
        self.unhide("list", list_id)

    def hide_folder(self, folder_id: str) -> None:
        self.hide("folder", folder_id)

    def unhide_folder(self, folder_id: str) -> None:
        self.unhide("folder", folder_id)

    def hide_space(self, space_id: str) -> None:
        self.hide("space", space_id)

    def unhide_space(self, space_id: str) -> None:
        self.unhide("space", space_id)
