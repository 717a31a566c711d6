"""Starting syncs and reading their status through Dagster's GraphQL API (any Dagster webserver
serving the `clickup_elt` code location), for systems that drive syncs from outside.

    from dagster_graphql import DagsterGraphQLClient
    client = DagsterGraphQLClient("localhost", port_number=3000)
    run_ids = start_full_sync(client, "9012345678")
    start_list_sync(client, "9012345678", ["901234"])
    workspace_status("http://localhost:3000", "9012345678")
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import requests

from clickup_elt import triggers
from clickup_elt.defs.ingestion.partitions import first_day, last_day

if TYPE_CHECKING:
    from dagster_graphql import DagsterGraphQLClient

RUNS_QUERY = """
query WorkspaceRuns($filter: RunsFilter!, $limit: Int!) {
  runsOrError(filter: $filter, limit: $limit) {
    __typename
    ... on Runs { results { runId jobName status startTime endTime tags { key value } } }
    ... on PythonError { message }
  }
}
"""


def submit(client: DagsterGraphQLClient, launch: triggers.Launch) -> str:
    """Submit one launch; returns its run id (the run is queued and started by the daemon)."""
    return client.submit_job_execution(launch.job, tags=launch.tags, run_config=launch.config_dict() or None)


def start_full_sync(
    client: DagsterGraphQLClient, workspace_id: str, first: dt.date | None = None
) -> list[str]:
    """Everything of one workspace: workspace-level entities and every day's tasks and time entries."""
    return [
        submit(client, launch)
        for launch in triggers.full_sync(workspace_id, first or first_day(), last_day())
    ]


def start_list_sync(client: DagsterGraphQLClient, workspace_id: str, list_ids: list[str]) -> str:
    """One board: the tasks of these lists, with their comments and time in status."""
    return submit(client, triggers.list_sync(workspace_id, list_ids, first_day(), last_day()))


def workspace_status(webserver_url: str, workspace_id: str, limit: int = 20) -> list[dict]:
    """The latest sync runs of a workspace (job, status, start and end), newest first."""
    response = requests.post(
        f"{webserver_url.rstrip('/')}/graphql",
        timeout=30,
        json={
            "query": RUNS_QUERY,
            "variables": {
                "filter": {"tags": [{"key": triggers.WORKSPACE_TAG, "value": workspace_id}]},
                "limit": limit,
            },
        },
    )
    response.raise_for_status()
    runs = response.json()["data"]["runsOrError"]
    if runs["__typename"] != "Runs":
        raise RuntimeError(f"Dagster could not list runs: {runs.get('message', runs['__typename'])}")
    return [
        {
            "run_id": r["runId"],
            "job": r["jobName"],
            "status": r["status"],
            "started": r["startTime"],
            "finished": r["endTime"],
        }
        for r in runs["results"]
    ]
