"""Resources: the ClickUp API (tokens from CLICKUP_API_TOKEN), the Postgres warehouse, and dbt."""

import contextlib
import datetime as dt
import os
from collections.abc import Collection, Iterable

import dagster as dg
from dagster_dbt import DbtCliResource
from psycopg2.extensions import connection as Connection

from clickup_elt import settings
from clickup_elt.clickup import workspace_discovery as ws_discovery
from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.errors import ClickUpAuthError
from clickup_elt.dbt_cli import dbt_executable
from clickup_elt.paths import DBT_PROJECT_DIR
from clickup_elt.warehouse import db, deletions, queries
from clickup_elt.warehouse import workspace_tokens as ws_table


class WarehouseResource(dg.ConfigurableResource):
    """The Postgres warehouse: DATABASE_URL, or the embedded server when that is unset."""

    database_url: str | None = None

    def url(self) -> str:
        return self.database_url or settings.database_url()

    def connection(self) -> contextlib.AbstractContextManager[Connection]:
        url = self.url()
        db.ensure_raw_schema(url)
        return db.connection(url)

    def ids(self, entity: str, workspace_id: str) -> list[str]:
        """Ids stored in `clickup_raw.<entity>` for the workspace (parents later loads read under)."""
        with self.connection() as conn:
            return queries.ids(conn, entity, workspace_id)

    def archived_list_ids(self, workspace_id: str) -> tuple[str, ...]:
        """Lists whose tasks the workspace task endpoint leaves out (archived, or under an archived
        folder or space), as the last hierarchy load stored them."""
        with self.connection() as conn:
            return tuple(queries.archived_list_ids(conn, workspace_id))

    def task_candidates(self, workspace_id: str) -> set[str]:
        """Tasks other loads saw vanish, waiting for a task load to confirm them."""
        with self.connection() as conn:
            return deletions.candidates(conn, workspace_id, "task")

    def tasks_to_refresh(
        self,
        workspace_id: str,
        days: Iterable[dt.date],
        entity: str,
        only_changed: bool,
        list_ids: Collection[str],
        task_ids: Collection[str] | None = None,
    ) -> list[queries.PickedTask]:
        """The stored tasks of these days (or `task_ids`) whose `entity` (comments, time in status)
        to read."""
        with self.connection() as conn:
            return queries.tasks_to_refresh(
                conn, workspace_id, days, entity, only_changed, list_ids, task_ids
            )


class ClickUpResource(dg.ConfigurableResource):
    """ClickUp API access; `api_token` may hold several tokens separated by commas."""

    api_token: str
    api_url: str = settings.DEFAULT_API_URL
    workspace_ids: str = ""

    def tokens(self) -> tuple[str, ...]:
        tokens = settings.tokens(self.api_token)
        if not tokens:
            raise settings.ConfigurationError(
                "CLICKUP_API_TOKEN is empty: set it to your ClickUp API token (pk_...)"
            )
        return tokens

    def allowed_workspaces(self) -> tuple[str, ...]:
        return settings.split_list(self.workspace_ids)

    def discover(self) -> ws_discovery.Discovery:
        return ws_discovery.discover(self.tokens(), self.api_url, self.allowed_workspaces())

    def fingerprint_for(self, workspace_id: str, warehouse: WarehouseResource) -> str | None:
        """The fingerprint of the token `workspace_id` is synced with (see `token_for`)."""
        with warehouse.connection() as conn:
            return self.fingerprint_on(conn, workspace_id)

    def fingerprint_on(self, conn: Connection, workspace_id: str) -> str | None:
        """`fingerprint_for` on an open connection (a tick asking for many workspaces)."""
        return ws_discovery.fingerprint_for(self.tokens(), ws_table.fingerprints_for(conn, workspace_id))

    def client_for(self, workspace_id: str, warehouse: WarehouseResource) -> ClickUpClient:
        """A client with the token `workspace_id` is synced with: the first configured token that
        reaches it, as discovery remembered (one token per workspace, whoever asks)."""
        with warehouse.connection() as conn:
            token = ws_discovery.token_for(self.tokens(), ws_table.fingerprints_for(conn, workspace_id))
        if token is None:
            found = {w.id: w for w in self.discover().workspaces}
            if workspace_id in found:
                with warehouse.connection() as conn:
                    ws_table.remember(
                        conn, workspace_id, found[workspace_id].fingerprint, found[workspace_id].name
                    )
                token = ws_discovery.token_for(self.tokens(), [found[workspace_id].fingerprint])
        if token is None:
            raise ClickUpAuthError(
                f"no token in CLICKUP_API_TOKEN reaches workspace {workspace_id}: add a token of a "
                f"member of that workspace to CLICKUP_API_TOKEN, or remove it from CLICKUP_WORKSPACE_IDS",
                status=401,
                ecode="OAUTH_027",
            )
        return ClickUpClient(token, self.api_url, workspace_id=workspace_id)


def clickup_resource() -> ClickUpResource:
    return ClickUpResource(
        api_token=dg.EnvVar("CLICKUP_API_TOKEN"),
        api_url=os.environ.get("CLICKUP_API_URL") or settings.DEFAULT_API_URL,
        workspace_ids=os.environ.get("CLICKUP_WORKSPACE_IDS", ""),
    )


class DbtResource(DbtCliResource):
    """The project's own dbt (never the caller's PATH) against the warehouse. profiles.yml reads the
    connection from CLICKUP_DBT_*, derived here from DATABASE_URL (or the embedded server) when a run
    starts, so a deployment only has to set DATABASE_URL."""

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        super().setup_for_execution(context)
        os.environ.update(settings.dbt_env(settings.database_url()))


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "clickup": clickup_resource(),
            # EnvVar keeps a password in DATABASE_URL out of the UI; unset means the embedded server.
            "warehouse": WarehouseResource(
                database_url=dg.EnvVar("DATABASE_URL") if os.environ.get("DATABASE_URL") else None
            ),
            "dbt": DbtResource(
                project_dir=str(DBT_PROJECT_DIR),
                profiles_dir=str(DBT_PROJECT_DIR),
                dbt_executable=dbt_executable(),
            ),
        }
    )
