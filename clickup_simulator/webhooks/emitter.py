"""From a change to the deliveries it causes: the events are addressed to every webhook of the
workspace that is not suspended, subscribes to the event, watches a location the change lies in (a
task, a list, a folder or a space; no location: everything), and whose owner may see the object; each
gets its own body (its `webhook_id`), serialised once and queued (`delivery`). Emitting happens inside
the mutation, under the state lock, so deliveries are queued in the order of the changes."""

from __future__ import annotations

from dataclasses import dataclass, field

from clickup_simulator.rendering import jsonio


@dataclass
class Where:
    """Where a change happened: for the location filters, and for what the webhook's owner may see."""

    ws: int
    task: int | None = None  # task index
    task_id: str | None = None
    lst: object = None
    folder: object = None
    space: object = None
    list_ids: set = field(default_factory=set)
    folder_ids: set = field(default_factory=set)
    space_id: str | None = None

    def contains(self, target: tuple[str, str] | None) -> bool:
        if target is None:
            return True
        kind, object_id = target
        if kind == "task":
            return object_id == self.task_id
        if kind == "list":
            return object_id in self.list_ids
        if kind == "folder":
            return object_id in self.folder_ids
        return object_id == self.space_id


class Emitter:
    def __init__(self, sim, registry, deliveries):
        self.sim, self.registry, self.deliveries = sim, registry, deliveries

    def listening(self, ws: int) -> bool:
        return self.registry.listening(ws)

    # -- where things are ---------------------------------------------------------------------------
    def _folder_chain(self, folder_pos: int | None) -> list:
        chain, folders = [], self.sim.state.world.folders
        while folder_pos is not None:
            chain.append(folders[folder_pos])
            folder_pos = folders[folder_pos].parent
        return chain

    def at_space(self, space) -> Where:
        return Where(ws=space.ws, space=space, space_id=space.id)

    def at_folder(self, folder) -> Where:
        world = self.sim.state.world
        where = self.at_space(world.spaces[folder.space])
        where.folder = folder
        where.folder_ids = {f.id for f in self._folder_chain(folder.pos)}
        return where

    def at_list(self, lst, *more_lists) -> Where:
        world = self.sim.state.world
        where = self.at_space(world.spaces[lst.space])
        where.lst = lst
        for one in (lst, *more_lists):
            where.list_ids.add(one.id)
            where.folder_ids |= {f.id for f in self._folder_chain(one.folder)}
        return where

    def at_task(self, index: int, *list_ids: str) -> Where:
        state = self.sim.state
        home = state.world.lists[int(state.tasks.column("lst")[index])]
        where = self.at_list(home, *(state.list_by_id[i] for i in list_ids if i in state.list_by_id))
        where.task, where.task_id = index, state.task_id(index)
        return where

    def at_workspace(self, ws: int) -> Where:
        return Where(ws=ws)

    def _visible(self, token, where: Where) -> bool:
        access = self.sim.access
        if not access.reaches(token, where.ws):
            return False
        if where.task is not None:
            return access.task_visible(token, where.task)
        if where.lst is not None:
            return access.list_visible(token, where.lst)
        if where.folder is not None:
            return access.folder_visible(token, where.folder)
        if where.space is not None:
            return access.space_visible(token, where.space)
        return True

    # -- sending ------------------------------------------------------------------------------------
    def send(self, event: str, where: Where, resource: dict, history=None, data=None) -> int:
        """Queue `event` for every webhook it concerns; returns how many deliveries were queued."""
        queued = 0
        tokens = self.sim.state.token_by_value
        for hook in self.registry.receiving(where.ws):
            if event not in hook.events or not where.contains(hook.target):
                continue
            token = tokens.get(hook.token)
            if token is None or not self._visible(token, where):
                continue
            body = {"event": event}
            if history is not None:
                body["history_items"] = history
            body.update(resource)
            if data is not None:
                body["data"] = data
            body["webhook_id"] = hook.id
            summary = {**resource, "history_item_ids": [h["id"] for h in history or ()]}
            self.deliveries.enqueue(hook, event, jsonio.dumps(body), summary)
            queued += 1
        return queued

    def task_update(self, where: Where, items: list[dict], specific, data=None) -> None:
        """One `taskUpdated` per history item, each followed by its specific event (if any) with the
        same item; `specific(item)` names it."""
        resource = {"task_id": where.task_id}
        for item in items:
            self.send("taskUpdated", where, resource, [item])
            name = specific(item)
            if name:
                self.send(name, where, resource, [item], data)
