"""`clickup-elt dev` (and `demo --ui`): the Dagster UI and daemon over this project.

The asset graph reads dbt's manifest, so it is parsed first with the venv's dbt (a plain shell has
none on PATH) and this environment's warehouse, so the UI names the tables the runs write.
"""

from __future__ import annotations

import sys
from pathlib import Path

from clickup_elt import dbt_cli
from clickup_elt.paths import PROJECT_DIR


def dagster_dev_command(*dagster_args: str) -> list[str]:
    """`dagster dev` of the venv, on the project's workspace.yaml, after parsing the dbt project."""
    dbt_cli.parse()
    dagster = str(Path(sys.executable).with_name("dagster"))
    return [dagster, "dev", "-w", str(PROJECT_DIR / "workspace.yaml"), *dagster_args]
