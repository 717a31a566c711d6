"""What the UI's asset graph is built from under `dagster dev`: dbt's manifest, parsed by the venv's
dbt even where PATH has none, once however many processes load the definitions together, and again
after the dbt project changes (so reloading the code location shows the edit)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from clickup_elt.paths import DBT_PROJECT_DIR

PLAIN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def start_loading(project, home) -> subprocess.Popen:
    """What each process that imports the definitions under `dagster dev` does, from a plain PATH."""
    code = (
        "import sys; from pathlib import Path; from clickup_elt.dbt_cli import parse; "
        "parse(Path(sys.argv[1]), only_if_stale=True)"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, str(project)],
        env={"PATH": PLAIN_PATH, "HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(proc: subprocess.Popen) -> None:
    try:
        out, _ = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out[-3000:]


def test_the_manifest_is_parsed_once_and_again_after_an_edit(tmp_path):
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    manifest = project / "target" / "manifest.json"
    log = project / "logs" / "dbt.log"

    loaders = [start_loading(project, tmp_path) for _ in range(2)]  # the code server and a run, at once
    for proc in loaders:
        finish(proc)
    assert "model.clickup_elt.spaces" in json.loads(manifest.read_text())["nodes"]
    assert log.read_text().count("Running with dbt=") == 1

    finish(start_loading(project, tmp_path))  # nothing changed: the manifest stands
    assert log.read_text().count("Running with dbt=") == 1

    (project / "models" / "marts" / "core" / "spaces_again.sql").write_text(
        "select * from {{ ref('spaces') }}\n"
    )
    finish(start_loading(project, tmp_path))
    assert "model.clickup_elt.spaces_again" in json.loads(manifest.read_text())["nodes"]
