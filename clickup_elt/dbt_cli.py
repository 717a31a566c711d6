"""Running the project's dbt: always the venv's own executable (an un-activated shell, the Dagster
code server and the daemon's runs need not have it on PATH), and parsing the manifest the Dagster
definitions read."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

from clickup_elt.paths import DBT_PROJECT_DIR


def dbt_executable() -> str:
    """The venv's dbt: an un-activated shell, the Dagster code server and the daemon's runs need not
    have it on PATH."""
    local = Path(sys.executable).with_name("dbt")
    return str(local) if local.exists() else (shutil.which("dbt") or "dbt")


def dbt_command(
    *args: str, target_path: Path | None = None, project_dir: Path = DBT_PROJECT_DIR
) -> list[str]:
    """A dbt invocation against the project, with the venv's dbt."""
    command = [dbt_executable(), *args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    if target_path is not None:
        command += ["--target-path", str(target_path)]
    return command


def parse(project_dir: Path = DBT_PROJECT_DIR, only_if_stale: bool = False) -> None:
    """`dbt parse` into `target/manifest.json`, which the Dagster definitions read. Several processes
    may ask at once (`dagster dev` starts more than one that imports the definitions): one parses
    while the others wait, and the manifest is swapped in whole so no reader sees it half-written.
    `only_if_stale`: skip when the manifest is newer than every file of the dbt project."""
    target = project_dir / "target"
    manifest = target / "manifest.json"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (
            only_if_stale
            and manifest.exists()
            and (manifest.stat().st_mtime >= _newest_source_mtime(project_dir))
        ):
            return
        scratch = target / "manifest_parse"  # keeps dbt's partial-parse state between parses
        result = subprocess.run(
            dbt_command("--quiet", "parse", target_path=scratch, project_dir=project_dir),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"`dbt parse` of {project_dir} failed "
                f"({result.returncode}):\n{(result.stdout + result.stderr)[-4000:]}"
            )
        os.replace(scratch / "manifest.json", manifest)


def _newest_source_mtime(project_dir: Path) -> float:
    """When a file of the dbt project last changed (what dbt writes itself left out)."""
    newest = 0.0
    for root, dirs, files in os.walk(project_dir):
        dirs[:] = [d for d in dirs if d not in {"target", "logs", "dbt_packages"} and not d.startswith(".")]
        for name in files:
            if not name.startswith("."):
                newest = max(newest, os.stat(os.path.join(root, name)).st_mtime)
    return newest
