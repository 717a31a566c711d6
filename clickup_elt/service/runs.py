"""Queueing syncs through Dagster's webserver (its GraphQL API), and the runs a workspace has in flight
(from the Dagster instance's storage, which needs no webserver).

Runs go through the webserver so they are queued and launched like any other: by the daemon, one at
a time per workspace, holding their token's pool. CLICKUP_ELT_DAGSTER_URL names the webserver
(default http://127.0.0.1:3000, where `clickup-elt dev` serves it).
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import dagster as dg
import requests
from dagster_graphql import DagsterGraphQLClient, DagsterGraphQLClientError

from clickup_elt import remote, triggers
from clickup_elt.service.errors import ApiError

URL_VARIABLE = "CLICKUP_ELT_DAGSTER_URL"
IN_FLIGHT = (
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
)


def webserver_url() -> str:
    return (os.environ.get(URL_VARIABLE) or "http://127.0.0.1:3000").rstrip("/")


def _client() -> DagsterGraphQLClient:
    parts = urlsplit(webserver_url())
    return DagsterGraphQLClient(
        parts.hostname or "127.0.0.1", port_number=parts.port, use_https=parts.scheme == "https"
    )


def _unreachable(exc: Exception) -> ApiError:
    return ApiError(
        503,
        f"the Dagster webserver at {webserver_url()} did not take the run "
        f"({type(exc).__name__}): start it (`clickup-elt dev`) or point "
        f"{URL_VARIABLE} at it",
    )


def full_sync(workspace_id: str) -> list[str]:
    try:
        return remote.start_full_sync(_client(), workspace_id)
    except (DagsterGraphQLClientError, requests.RequestException) as exc:
        raise _unreachable(exc) from None


def board_sync(workspace_id: str, list_id: str) -> str:
    try:
        return remote.start_list_sync(_client(), workspace_id, [list_id])
    except (DagsterGraphQLClientError, requests.RequestException) as exc:
        raise _unreachable(exc) from None


def in_flight(instance: dg.DagsterInstance, workspace_id: str) -> list[dict]:
    """The workspace's runs queued or running: job, status, run id."""
    runs = instance.get_runs(filters=dg.RunsFilter(statuses=list(IN_FLIGHT)), limit=200)
    return [
        {"run_id": run.run_id, "job": run.job_name, "status": run.status.value}
        for run in runs
        if workspace_id in (run.tags.get(triggers.WORKSPACES_TAG) or "").split(",")
    ]
