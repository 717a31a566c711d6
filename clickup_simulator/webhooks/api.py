"""`/api/v2` webhook routes, as ClickUp answers them (docs/clickup-api.md §4):

  GET    /team/{team_id}/webhook   {"webhooks": [...]}: the calling token's user's webhooks there
  POST   /team/{team_id}/webhook   {"endpoint", "events": "*" | [names], "space_id"?, "folder_id"?,
                                   "list_id"?, "task_id"?} -> {"id", "webhook"}
  PUT    /webhook/{webhook_id}     {"endpoint"?, "events"?, "status": "active"?} -> {"id", "webhook"}
  DELETE /webhook/{webhook_id}     -> {}

A second webhook of one user with the same endpoint and location answers 400 `OAUTH_171` (doc).
Chosen where ClickUp documents nothing: a bad body, endpoint or event name answers 400 `INPUT_005`; an
unknown webhook, or another user's, 404 `ITEM_015` "Webhook not found"; a webhook of a workspace the
token does not reach, 401 `OAUTH_027`. Locations are looked up like reads (404 / 401 `ACCESS_*`) and
must lie in the workspace. The same functions serve `sim.webhooks.create/list/update/delete`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from clickup_simulator.api import errors
from clickup_simulator.api.routing import Request, get, write
from clickup_simulator.webhooks.events import subscription
from clickup_simulator.webhooks.registry import LOCATIONS, DuplicateWebhook


def already_exists() -> errors.ApiError:  # (doc)
    return errors.ApiError(400, "Webhook configuration already exists", "OAUTH_171")


def _endpoint(value) -> str:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise errors.invalid_input("endpoint must be an http(s) URL")
    return value


def _events(value) -> list[str]:
    try:
        return subscription(value)
    except ValueError as exc:
        raise errors.invalid_input(str(exc)) from None


def _location(req: Request, ws, body: dict) -> dict:
    """The location ids of a registration, each checked like a read of that object."""
    found = {}
    state = req.state
    for key in LOCATIONS:
        value = body.get(key)
        if value is None or value == "":
            continue
        object_id = str(value)
        if key == "task_id":
            home = int(state.tasks.column("ws")[req.task(object_id)])
        else:
            home = {"list_id": req.list, "folder_id": req.folder, "space_id": req.space}[key](object_id).ws
        if home != ws.pos:
            raise errors.invalid_input(f"{key} {object_id} is not in workspace {ws.id}")
        found[key] = object_id
    return found


def _own(req: Request, webhook_id: str):
    hook = req.sim.webhooks.registry.get(webhook_id)
    if hook is None:
        raise errors.not_found("Webhook")
    if not req.sim.access.reaches(req.token, hook.ws):
        raise errors.team_not_authorized()
    if hook.user_pos != req.token.user:
        raise errors.not_found("Webhook")
    return hook


@get("/team/{team_id}/webhook")
def list_webhooks(req: Request, team_id: str):
    ws = req.workspace(team_id)
    return {"webhooks": [h.render() for h in req.sim.webhooks.registry.of(ws.pos, req.token.user)]}


@write("POST", "/team/{team_id}/webhook")
def create_webhook(req: Request, team_id: str):
    ws = req.workspace(team_id)
    body = req.json()
    endpoint = _endpoint(body.get("endpoint"))
    if "events" not in body:
        raise errors.invalid_input("events is required")
    events = _events(body["events"])
    location = _location(req, ws, body)
    user = req.state.world.users[req.token.user]
    try:
        hook = req.sim.webhooks.registry.create(ws, user, req.token.token, endpoint, events, location)
    except DuplicateWebhook:
        raise already_exists() from None
    return {"id": hook.id, "webhook": hook.render()}


@write("PUT", "/webhook/{webhook_id}")
def update_webhook(req: Request, webhook_id: str):
    hook = _own(req, webhook_id)
    body = req.json()
    endpoint = _endpoint(body["endpoint"]) if body.get("endpoint") is not None else None
    events = _events(body["events"]) if body.get("events") is not None else None
    status = body.get("status")
    if status is not None and status != "active":
        raise errors.invalid_input('status can only be set to "active"')
    try:
        hook = req.sim.webhooks.registry.update(hook.id, endpoint, events, status)
    except DuplicateWebhook:
        raise already_exists() from None
    return {"id": hook.id, "webhook": hook.render()}


@write("DELETE", "/webhook/{webhook_id}")
def delete_webhook(req: Request, webhook_id: str):
    hook = _own(req, webhook_id)
    req.sim.webhooks.registry.delete(hook.id)
    req.sim.webhooks.deliveries.forget(hook.id)
    return {}
