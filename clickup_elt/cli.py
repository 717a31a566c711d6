"""The `clickup-elt` command: sync, status, demo, dev, docs, the simulator and the embedded database."""

from __future__ import annotations

import os
import sys

import click

from clickup_elt import settings


def _fail(message: str) -> None:
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(2)


@click.group()
def main() -> None:
    """Copy ClickUp into Postgres with Dagster, and model it with dbt."""


@main.command()
@click.option("--full", is_flag=True,
              help="All history from CLICKUP_START_DATE (archived lists included), not only recent changes.")
@click.option("--workspace", "workspaces", multiple=True, help="Only this workspace id (repeatable).")
@click.option("--list", "lists", multiple=True,
              help="Only this list's (board's) tasks, with their comments and time in status (repeatable).")
@click.option("--skip-dbt", is_flag=True, help="Load the raw tables only.")
def sync(full: bool, workspaces: tuple[str, ...], lists: tuple[str, ...], skip_dbt: bool) -> None:
    """Materialize the raw assets through Dagster, then run `dbt build`."""
    from clickup_elt.clickup.errors import ClickUpError
    from clickup_elt.summary import print_summary
    from clickup_elt.sync import run_sync

    try:
        result = run_sync(full=full, workspace_ids=workspaces, list_ids=lists, build_dbt=not skip_dbt)
    except (settings.ConfigurationError, ClickUpError) as exc:
        _fail(str(exc))
    print_summary(result)
    sys.exit(0 if result.success else 1)


@main.command()
def status() -> None:
    """Per workspace and entity: last sync, rows, requests, result."""
    from clickup_elt.summary import print_status

    print_status(settings.prepare_environment())


@main.command()
@click.option("--ui", is_flag=True, help="Open the Dagster UI on the synced demo afterwards.")
@click.option("--tasks", default=2000, show_default=True, help="Tasks in the simulated workspace.")
def demo(ui: bool, tasks: int) -> None:
    """Start the simulator, sync everything from it, build dbt, print a summary."""
    from clickup_elt.demo import run_demo

    sys.exit(run_demo(ui=ui, tasks=tasks))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve the docs on.")
@click.option("--port", default=8080, show_default=True, help="Port to serve the docs on.")
@click.option("--no-serve", is_flag=True, help="Only generate the site (dbt_project/target).")
@click.option("--browser", is_flag=True, help="Open a browser on the served site.")
def docs(host: str, port: int, no_serve: bool, browser: bool) -> None:
    """`dbt docs generate`, then serve the site: every mart, column and its lineage."""
    import subprocess

    from clickup_elt.dbt_docs import run_docs

    try:
        run_docs(host=host, port=port, serve_site=not no_serve, open_browser=browser)
    except settings.ConfigurationError as exc:
        _fail(str(exc))
    except subprocess.CalledProcessError as exc:
        _fail(f"dbt failed ({exc.returncode}): see its output above")


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("dagster_args", nargs=-1, type=click.UNPROCESSED)
def dev(dagster_args: tuple[str, ...]) -> None:
    """`dagster dev -w workspace.yaml` with the project's environment (embedded Postgres, DAGSTER_HOME)."""
    from clickup_elt.paths import PROJECT_DIR

    settings.prepare_environment()
    dagster = os.path.join(os.path.dirname(sys.executable), "dagster")
    os.chdir(PROJECT_DIR)
    os.execv(dagster, [dagster, "dev", "-w", str(PROJECT_DIR / "workspace.yaml"), *dagster_args])


@main.group()
def db() -> None:
    """The embedded PostgreSQL server (used when DATABASE_URL is unset)."""


@db.command("start")
def db_start() -> None:
    from clickup_elt.warehouse.embedded import EmbeddedPostgres

    server = EmbeddedPostgres().ensure_running()
    click.echo(f"embedded PostgreSQL running: {server.url()}")


@db.command("stop")
def db_stop() -> None:
    from clickup_elt.warehouse.embedded import EmbeddedPostgres

    stopped = EmbeddedPostgres().stop()
    click.echo("embedded PostgreSQL stopped" if stopped else "embedded PostgreSQL was not running")


def _register_simulator() -> None:
    try:
        from clickup_elt.simulator.cli import simulator
    except ImportError:  # pragma: no cover - the simulator ships with the package
        return
    main.add_command(simulator, "simulator")


_register_simulator()
