"""Where the project keeps its local state (embedded Postgres, Dagster home): one gitignored folder."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DBT_PROJECT_DIR = PROJECT_DIR / "dbt_project"


def state_dir() -> Path:
    """`CLICKUP_ELT_STATE_DIR`, else `.clickup_elt/` in the project checkout."""
    return Path(os.environ.get("CLICKUP_ELT_STATE_DIR") or PROJECT_DIR / ".clickup_elt")
