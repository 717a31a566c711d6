"""Routing and request parsing for `/api/v2` (GET routes, and the few write routes the simulator
serves), and the lookups every endpoint shares (a workspace, space, folder, list or task the token may
read, or the error ClickUp answers instead)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from clickup_simulator.api import errors
from clickup_simulator.rendering import jsonio

ROUTES: list[tuple[re.Pattern, str, object]] = []
# ClickUp paths that exist only for writes: any request to them is a known path with an unsupported method
WRITE_ONLY = [
    "/task/{task_id}/attachment",
    "/oauth/token",
    "/task/{task_id}/checklist",
    "/checklist/{checklist_id}",
    "/checklist/{checklist_id}/checklist_item",
    "/checklist/{checklist_id}/checklist_item/{checklist_item_id}",
    "/comment/{comment_id}",
    "/task/{task_id}/field/{field_id}",
    "/task/{task_id}/dependency",
    "/task/{task_id}/link/{links_to}",
    "/goal/{goal_id}/key_result",
    "/key_result/{key_result_id}",
    "/team/{team_id}/guest",
    "/task/{task_id}/guest/{guest_id}",
    "/list/{list_id}/guest/{guest_id}",
    "/folder/{folder_id}/guest/{guest_id}",
    "/space/{space_id}/folder_template/{template_id}",
    "/list/{list_id}/task/{task_id}",
    "/space/{space_id}/tag/{tag_name}",
    "/task/{task_id}/tag/{tag_name}",
    "/task/{task_id}/merge",
    "/list/{list_id}/taskTemplate/{template_id}",
    "/folder/{folder_id}/list_template/{template_id}",
    "/space/{space_id}/list_template/{template_id}",
    "/team/{team_id}/group",
    "/group/{group_id}",
    "/task/{task_id}/time/{interval_id}",
    "/team/{team_id}/time_entries/start",
    "/team/{team_id}/time_entries/stop",
    "/team/{team_id}/user",
    "/webhook/{webhook_id}",
    "/team/{team_id}/folder",
    "/space/{space_id}/list/{list_id}",
]


def _pattern(template: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "/?$")


def get(template: str):
    """Register a GET handler for a path template (relative to /api/v2)."""

    def register(handler):
        ROUTES.append((_pattern(template), template, handler))
        return handler

    return register


_WRITE_PATTERNS = [(_pattern(t), t) for t in WRITE_ONLY]
WRITES: dict[tuple[str, str], object] = {}  # (method, template) -> handler


def write(method: str, template: str):
    """Register a handler for a method other than GET (the request body is `Request.body`)."""

    def register(handler):
        WRITES[(method, template)] = handler
        if template not in WRITE_ONLY and not any(t == template for _, t, _ in ROUTES):
            _WRITE_PATTERNS.append((_pattern(template), template))
        return handler

    return register


def write_handler(method: str, template: str | None):
    """The handler of a write route, or None (a known path answers that method with ClickUp's HTML 404)."""
    return WRITES.get((method, template))


def match(path: str):
    """(template, handler or None, path params) of the first matching route; (None, None, {}) if none.
    Exact segments win over parameters (`/task/bulk_time_in_status/task_ids` before `/task/{task_id}`)."""
    best = None
    for pattern, template, handler in ROUTES:
        m = pattern.match(path)
        if m and (best is None or template.count("{") < best[0].count("{")):
            best = (template, handler, m.groupdict())
    if best:
        return best
    for pattern, template in _WRITE_PATTERNS:
        m = pattern.match(path)
        if m:
            return template, None, m.groupdict()
    return None, None, {}


class Raw(list):
    """An answer already serialised, in pieces (sent with one scatter-gather write, never joined)."""

    def size(self) -> int:
        return sum(len(piece) for piece in self)


@dataclass
class Request:
    sim: object
    token: object
    path: str
    query: dict
    body: bytes = b""

    def json(self) -> dict:
        """The JSON object a write request sends (an empty body: {})."""
        if not self.body.strip():
            return {}
        try:
            value = jsonio.loads(self.body)
        except ValueError:
            raise errors.invalid_input("the request body is not valid JSON") from None
        if not isinstance(value, dict):
            raise errors.invalid_input("the request body must be a JSON object")
        return value

    def one(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def many(self, name: str) -> list[str]:
        """Repeated array parameters, with or without ClickUp's `[]` suffix (comma lists split too)."""
        out = []
        for key in (name + "[]", name):
            for value in self.query.get(key, ()):
                out += [v for v in value.split(",") if v != ""]
        return out

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.one(name)
        if value is None or value == "":
            return default
        return value.lower() in ("true", "1", "yes")

    def integer(self, name: str, default: int | None = None, minimum: int | None = None) -> int | None:
        value = self.one(name)
        if value is None or value == "":
            return default
        try:
            number = int(value)
        except ValueError:
            raise errors.invalid_input(f"{name} must be an integer") from None
        if minimum is not None and number < minimum:
            raise errors.invalid_input(f"{name} must be at least {minimum}")
        return number

    # -- objects the token may read -----------------------------------------------------------------
    @property
    def state(self):
        return self.sim.state

    def workspace(self, team_id: str):
        ws = self.state.ws_by_id.get(team_id)
        if ws is None or not self.sim.access.reaches(self.token, ws.pos):
            raise errors.team_not_authorized()
        return ws

    def _reachable(self, ws_pos: int) -> None:
        if not self.sim.access.reaches(self.token, ws_pos):
            raise errors.team_not_authorized()

    def space(self, space_id: str):
        space = self.state.space_by_id.get(space_id)
        if space is None or space.deleted:
            raise errors.space_not_found()
        self._reachable(space.ws)
        if not self.sim.access.space_visible(self.token, space):
            raise errors.no_access("Space")
        return space

    def folder(self, folder_id: str):
        if not folder_id.isdigit():
            raise errors.folder_invalid()
        folder = self.state.folder_by_id.get(folder_id)
        if folder is None or self.sim.truth._folder_gone(folder):
            raise errors.not_found("Folder")
        self._reachable(folder.ws)
        if not self.sim.access.folder_visible(self.token, folder):
            raise errors.no_access("Folder")
        return folder

    def list(self, list_id: str):
        lst = self.state.list_by_id.get(list_id)
        if lst is None or self.state.world.list_gone(lst):
            raise errors.not_found("List")
        self._reachable(lst.ws)
        if not self.sim.access.list_visible(self.token, lst):
            raise errors.no_access("List")
        return lst

    def task(self, task_id: str) -> int:
        index = self.state.task_index(task_id)
        if index is None:
            raise errors.task_not_found()
        self._reachable(int(self.state.tasks.column("ws")[index]))
        if self.state.tasks.column("deleted")[index]:
            raise errors.task_deleted()
        if not self.sim.access.task_visible(self.token, index):
            raise errors.task_no_access()
        return index
