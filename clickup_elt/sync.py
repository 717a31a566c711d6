"""`clickup-elt sync`: discover workspaces, run the raw jobs through Dagster, then `dbt build`.

Runs execute in this process against the Dagster instance in DAGSTER_HOME, so they show up in the
Dagster UI like any other run. A range of days is one run (and one paginated query per workspace).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import dagster as dg

from clickup_elt import settings
from clickup_elt.clickup import workspaces as discovery
from clickup_elt.warehouse import db, synclog
from clickup_elt.warehouse import workspaces as ws_table


@dataclass
class SyncResult:
    workspaces: list[str]
    runs: list[tuple[str, str, bool]] = field(default_factory=list)  # (job, run id, success)
    failures: list[str] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.failures


def discover_workspaces(instance: dg.DagsterInstance, url: str, only: tuple[str, ...] = ()) -> list[str]:
    """Ask ClickUp which workspaces the tokens reach, remember the token of each, add partitions."""
    from clickup_elt.defs.ingestion.partitions import workspaces_partitions

    config = settings.ClickUpSettings.from_env()
    allow = tuple(only) or config.workspace_ids
    found = discovery.discover(config.tokens, config.api_url, allow)
    with db.connection(url) as conn:
        for ws in found:
            ws_table.remember(conn, ws.id, ws.fingerprint, ws.name)
    missing = [ws for ws in only if ws not in {w.id for w in found}]
    if missing:
        raise settings.ConfigurationError(
            f"no token in CLICKUP_API_TOKEN reaches workspace(s) {', '.join(missing)}")
    ids = [w.id for w in found]
    known = set(instance.get_dynamic_partitions(workspaces_partitions.name))
    new = [ws for ws in ids if ws not in known]
    if new:
        instance.add_dynamic_partitions(workspaces_partitions.name, new)
    return ids


def _run(defs: dg.Definitions, job_name: str, instance, result: SyncResult, **kwargs) -> None:
    job = defs.resolve_job_def(job_name)
    outcome = job.execute_in_process(instance=instance, raise_on_error=False, **kwargs)
    result.runs.append((job_name, outcome.run_id, outcome.success))
    if not outcome.success:
        errors = [e.message for e in outcome.all_events if e.is_failure and e.message]
        result.failures.append(f"{job_name} (run {outcome.run_id}): " + (errors[-1] if errors else "failed"))


def run_sync(full: bool = False, workspace_ids: tuple[str, ...] = (), build_dbt: bool = True) -> SyncResult:
    """Sync the selected workspaces (all reachable ones by default), then build dbt."""
    from clickup_elt.definitions import defs as load_defs
    from clickup_elt.defs.ingestion.jobs import DAILY_JOB, WORKSPACE_JOB
    from clickup_elt.defs.ingestion.partitions import first_day, last_day, range_tags
    from clickup_elt.defs.transform.jobs import DBT_JOB

    url = settings.prepare_environment()
    db.ensure_raw_schema(url)
    defs = load_defs()
    with dg.DagsterInstance.get() as instance:
        ids = discover_workspaces(instance, url, workspace_ids)
        result = SyncResult(ids)
        today = last_day()
        first = first_day() if full else max(first_day(), today - dt.timedelta(days=1))
        for ws in ids:
            _run(defs, WORKSPACE_JOB, instance, result, partition_key=ws,
                 tags={"clickup/workspace": ws})
            _run(defs, DAILY_JOB, instance, result,
                 tags={**range_tags([ws], first, today), "clickup/workspace": ws})
        if build_dbt:
            _run(defs, DBT_JOB, instance, result)
    return result


def status_rows(url: str) -> list[dict]:
    with db.connection(url) as conn:
        return synclog.latest_status(conn)
