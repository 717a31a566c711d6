"""`clickup-elt docs`: generate dbt's documentation site (models, columns, lineage, the warehouse
catalog) and serve it, so analysts can browse what each mart holds."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from clickup_elt import settings
from clickup_elt.dbt_cli import dbt_command
from clickup_elt.paths import DBT_PROJECT_DIR


def generate(url: str, target_path: Path | None = None) -> Path:
    """`dbt docs generate` against the warehouse at `url`; returns the folder holding index.html."""
    env = {**os.environ, **settings.dbt_env(url)}
    subprocess.run(dbt_command("docs", "generate", target_path=target_path), env=env, check=True)
    return target_path or DBT_PROJECT_DIR / "target"


def serve(host: str, port: int, open_browser: bool, target_path: Path | None = None) -> None:
    """`dbt docs serve` until interrupted."""
    args = ["docs", "serve", "--host", host, "--port", str(port)]
    args.append("--browser" if open_browser else "--no-browser")
    subprocess.run(dbt_command(*args, target_path=target_path), check=True)


def run_docs(
    host: str = "127.0.0.1", port: int = 8080, serve_site: bool = True, open_browser: bool = False
) -> Path:
    url = settings.prepare_environment()
    site = generate(url)
    if serve_site:
        print(f"dbt docs: http://{host}:{port} (Ctrl-C stops)", flush=True)
        try:
            serve(host, port, open_browser)
        except KeyboardInterrupt:
            pass
    return site
