"""The HTTP API's routes.

    GET  /health_check                    the warehouse, the Dagster instance, each workspace's last sync
    POST /trigger_sync                    {"workspace_id"} (or "org_id"): a full sync, queued
    POST /trigger_board_sync              {"workspace_id", "list_id"} (or "org_id", "board_id")
    GET  /sync_status?workspace_id=…      per entity: last success, rows, lag, last error; runs in flight
    POST /webhooks/clickup                ClickUp's signed deliveries

Every route but the webhook one takes `Authorization: Bearer <CLICKUP_ELT_API_KEY>` when that
variable is set. The OpenAPI page is /docs.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AliasChoices, BaseModel, Field

from clickup_elt import status
from clickup_elt.service import health, runs
from clickup_elt.service.access import require_key
from clickup_elt.service.deliveries import Deliveries
from clickup_elt.service.errors import ApiError, api_error, invalid_request

WORKSPACE = Field(
    validation_alias=AliasChoices("workspace_id", "org_id"),
    description="The ClickUp workspace (team) id; `org_id` is accepted too.",
)


class TriggerSync(BaseModel):
    workspace_id: str = WORKSPACE


class TriggerBoardSync(BaseModel):
    workspace_id: str = WORKSPACE
    list_id: str = Field(
        validation_alias=AliasChoices("list_id", "board_id"),
        description="The list (board) id; `board_id` is accepted too.",
    )


def create_app(database_url: str, instance: dg.DagsterInstance | None = None) -> FastAPI:
    """The app over this warehouse and Dagster instance (the caller keeps both open)."""
    app = FastAPI(
        title="clickup-elt",
        version="1",
        description="Health, triggering and watching the ClickUp sync, and ClickUp's webhook deliveries.",
    )
    # Starlette types every handler as taking Exception; these take the subclass they are registered for
    app.add_exception_handler(ApiError, api_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, invalid_request)  # type: ignore[arg-type]
    deliveries = Deliveries(database_url)
    app.router.on_shutdown.append(deliveries.close)
    keyed = [Depends(require_key)]

    def known(workspace_id: str) -> dict:
        found = [ws for ws in status.workspace_status(database_url) if ws["workspace_id"] == workspace_id]
        if not found:
            raise ApiError(
                404,
                f"workspace {workspace_id} is unknown here: the discovery sensor adds "
                f"the workspaces CLICKUP_API_TOKEN reaches (or run `clickup-elt sync "
                f"--full --workspace {workspace_id}` once)",
            )
        return found[0]

    @app.get("/health_check", dependencies=keyed, summary="Is the sync healthy?")
    def health_check() -> JSONResponse:
        healthy, body = health.check(database_url, instance)
        return JSONResponse(_jsonable(body), status_code=200 if healthy else 503)

    @app.post(
        "/trigger_sync", dependencies=keyed, status_code=202, summary="Queue a full sync of a workspace"
    )
    def trigger_sync(request: TriggerSync) -> dict:
        known(request.workspace_id)
        return {"workspace_id": request.workspace_id, "run_ids": runs.full_sync(request.workspace_id)}

    @app.post(
        "/trigger_board_sync",
        dependencies=keyed,
        status_code=202,
        summary="Queue a sync of one list (board): its tasks, comments and time in status",
    )
    def trigger_board_sync(request: TriggerBoardSync) -> dict:
        known(request.workspace_id)
        run_id = runs.board_sync(request.workspace_id, request.list_id)
        return {"workspace_id": request.workspace_id, "list_id": request.list_id, "run_ids": [run_id]}

    @app.get("/sync_status", dependencies=keyed, summary="A workspace's sync, entity by entity")
    def sync_status(
        workspace_id: str | None = Query(default=None),
        org_id: str | None = Query(default=None, description="Same as workspace_id"),
    ) -> JSONResponse:
        wanted = workspace_id or org_id
        if not wanted:
            raise ApiError(400, "say which workspace: /sync_status?workspace_id=<ClickUp workspace id>")
        found = known(wanted)
        now = dt.datetime.now(dt.timezone.utc)
        entities = {
            e["entity"]: {
                "last_success": e["last_success"],
                "rows": e["rows"],
                "last_outcome": e["outcome"],
                "lag_seconds": round((now - e["last_success"]).total_seconds())
                if e["last_success"]
                else None,
                "last_error": e.get("error"),
            }
            for e in found["entities"]
        }
        body = {
            "workspace_id": wanted,
            "name": found["name"],
            "token": found["token"],
            "last_full_sync": found["last_full_sync"],
            "last_incremental_sync": found["last_incremental_sync"],
            "entities": entities,
            "runs_in_flight": runs.in_flight(instance, wanted) if instance else [],
        }
        return JSONResponse(_jsonable(body))

    @app.post("/webhooks/clickup", summary="ClickUp's webhook deliveries (signed with X-Signature)")
    async def clickup_webhook(request: Request, x_signature: str | None = Header(default=None)) -> dict:
        body = await request.body()
        return await run_in_threadpool(deliveries.receive, body, x_signature)

    return app


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value
