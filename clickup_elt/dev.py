"""`clickup-elt dev` (and `demo --ui`): the Dagster UI and daemon over this project, with the sync
service's HTTP API beside them (webhooks, triggers, status).

The asset graph reads dbt's manifest, so it is parsed first with the venv's dbt (a plain shell has
none on PATH) and this environment's warehouse, so the UI names the tables the runs write.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from clickup_elt import dbt_cli
from clickup_elt.paths import PROJECT_DIR

DAGSTER_PORT = 3000


def dagster_dev_command(*dagster_args: str) -> list[str]:
    """`dagster dev` of the venv, on the project's workspace.yaml, after parsing the dbt project."""
    dbt_cli.parse()
    dagster = str(Path(sys.executable).with_name("dagster"))
    return [dagster, "dev", "-w", str(PROJECT_DIR / "workspace.yaml"), *dagster_args]


def webserver_port(dagster_args: Sequence[str]) -> int:
    """The port `dagster dev` serves the UI on (its -p/--port argument, else 3000)."""
    args = list(dagster_args)
    for i, arg in enumerate(args):
        if arg in ("-p", "--port") and i + 1 < len(args):
            return int(args[i + 1])
        if arg.startswith("--port="):
            return int(arg.partition("=")[2])
    return DAGSTER_PORT


def run_dev(dagster_args: Sequence[str], api_port: int | None) -> int:
    """The UI and daemon (and the HTTP API on `api_port`, unless None) until they stop."""
    command = dagster_dev_command(*dagster_args)
    api = None
    if api_port is not None:
        env = {**os.environ, "CLICKUP_ELT_DAGSTER_URL": f"http://127.0.0.1:{webserver_port(dagster_args)}"}
        api = subprocess.Popen(
            [str(Path(sys.executable).with_name("clickup-elt")), "serve", "--port", str(api_port)],
            env=env,
            cwd=PROJECT_DIR,
        )
    dagster = subprocess.Popen(command, cwd=PROJECT_DIR)
    try:
        return dagster.wait()
    except KeyboardInterrupt:  # Ctrl-C reached every process of the terminal: let them finish
        return dagster.wait()
    finally:
        if api is not None:
            api.terminate()
            try:
                api.wait(timeout=10)
            except subprocess.TimeoutExpired:
                api.kill()
