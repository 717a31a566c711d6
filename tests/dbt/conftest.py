"""dbt fixtures: a warehouse database per test module (one `dbt build` shared by many assertions),
dbt runs with their own target folder (tests run in parallel), and a reader role with a unique name
(roles are cluster-wide), dropped afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from clickup_elt import settings
from clickup_elt.dbt_cli import dbt_executable
from clickup_elt.paths import DBT_PROJECT_DIR
from clickup_elt.warehouse.db import ensure_raw_schema
from pg import drop_role, scratch_database

DBT = dbt_executable()


@pytest.fixture(scope="module")
def module_database(pg_server_url):
    """A fresh database with the raw schema, shared by one test module."""
    with scratch_database(pg_server_url, "clickup_dbt") as url:
        ensure_raw_schema(url)
        yield url


@pytest.fixture(scope="module")
def reader_role(module_database):
    """A reader role name unique to this module; dropped (with its grants) afterwards."""
    role = f"clickup_reader_{uuid.uuid4().hex[:10]}"
    yield role
    drop_role(module_database, role)


@dataclass
class DbtRun:
    returncode: int
    output: str
    results: list[dict]

    def statuses(self, resource_type: str | None = None) -> dict[str, str]:
        """Node name -> status, e.g. {'tasks': 'success', 'unique_tasks_task_id': 'pass'}."""
        return {
            r["unique_id"].split(".")[-1] if resource_type != "unit_test" else r["unique_id"]: r["status"]
            for r in self.results
            if resource_type is None or r["unique_id"].startswith(resource_type + ".")
        }


class Dbt:
    """Runs dbt against one database with its own target folder and reader role."""

    def __init__(self, url: str, role: str, target: Path):
        self.url, self.role, self.target = url, role, target

    def __call__(self, *args: str) -> DbtRun:
        env = {
            **os.environ,
            **settings.dbt_env(self.url),
            "CLICKUP_READER_ROLE": self.role,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        proc = subprocess.run(
            [
                DBT,
                "--no-use-colors",
                *args,
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                str(self.target),
                "--log-path",
                str(self.target),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        results_file = self.target / "run_results.json"
        results = json.loads(results_file.read_text())["results"] if results_file.exists() else []
        return DbtRun(proc.returncode, proc.stdout + proc.stderr, results)


@pytest.fixture(scope="module")
def dbt(module_database, reader_role, tmp_path_factory) -> Dbt:
    return Dbt(module_database, reader_role, tmp_path_factory.mktemp("dbt_target"))
