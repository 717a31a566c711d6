"""The `clickup-elt` command: sync, status, demo, dev, docs, the simulator and the embedded database."""

from __future__ import annotations

import contextlib
import os
import shlex
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, NoReturn

import click

from clickup_elt import settings
from clickup_elt.warehouse.embedded import EmbeddedPostgresError

if TYPE_CHECKING:
    from clickup_elt.webhooks.commands import Row


def _fail(message: str) -> NoReturn:
    """One `error:` line (a message's line breaks folded), exit code 2."""
    click.secho(f"error: {' '.join(message.split())}", fg="red", err=True)
    sys.exit(2)


@contextlib.contextmanager
def _user_errors(*more: type[Exception]) -> Iterator[None]:
    """Settings and the embedded server's errors say what to fix: show that line, not a traceback."""
    errors: tuple[type[Exception], ...] = (settings.ConfigurationError, EmbeddedPostgresError, *more)
    try:
        yield
    except errors as exc:
        _fail(str(exc))


@click.group()
def main() -> None:
    """Copy ClickUp into Postgres with Dagster, and model it with dbt."""


@main.command()
@click.option(
    "--full",
    is_flag=True,
    help="All history from CLICKUP_START_DATE (archived lists included), not only recent changes.",
)
@click.option("--workspace", "workspaces", multiple=True, help="Only this workspace id (repeatable).")
@click.option(
    "--list",
    "lists",
    multiple=True,
    help="Only this list's (board's) tasks, with their comments and time in status (repeatable).",
)
@click.option("--skip-dbt", is_flag=True, help="Load the raw tables only.")
def sync(full: bool, workspaces: tuple[str, ...], lists: tuple[str, ...], skip_dbt: bool) -> None:
    """Materialize the raw assets through Dagster, then run `dbt build`."""
    from clickup_elt.clickup.errors import ClickUpError

    with _user_errors(ClickUpError):
        settings.prepare_environment()  # a bad setting stops us before Dagster loads (and warns)
        from clickup_elt import progress
        from clickup_elt.sync import run_sync

        progress.show_bar_on_terminal(True)

        result = run_sync(full=full, workspace_ids=workspaces, list_ids=lists, build_dbt=not skip_dbt)
    from clickup_elt.summary import print_summary

    print_summary(result)
    sys.exit(0 if result.success else 1)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="The same as JSON, for scripts.")
def status(as_json: bool) -> None:
    """Per workspace: last full and incremental sync, rows per entity, what failed and the fix."""
    with _user_errors():
        url = settings.prepare_environment()
    from clickup_elt.summary import print_status

    print_status(url, as_json)


@main.command()
@click.argument("run_ids", nargs=-1, required=True)
def release(run_ids: tuple[str, ...]) -> None:
    """Mark runs that cannot finish as failed and free the token pool slots they hold.

    Dead runs are found and released on their own (the clickup_dead_runs sensor, and every run that
    waits for their token); this is for a run the project cannot tell is dead, e.g. one whose host
    is unreachable.
    """
    import dagster as dg

    from clickup_elt import liveness

    with _user_errors():
        settings.prepare_environment()
    with dg.DagsterInstance.get() as instance:
        for run_id in run_ids:
            if instance.get_run_by_id(run_id) is None:
                _fail(f"no run {run_id} in the Dagster instance at DAGSTER_HOME")
            live = liveness.release(instance, run_id, "released with `clickup-elt release`")
            click.echo(f"run {run_id}: {'marked failed and ' if live else ''}pool slots freed")


@main.command()
@click.option("--ui", is_flag=True, help="Open the Dagster UI on the synced demo afterwards.")
@click.option("--tasks", default=2000, show_default=True, help="Tasks in the simulated workspace.")
def demo(ui: bool, tasks: int) -> None:
    """Start the simulator, sync everything from it, build dbt, print a summary."""
    from clickup_elt.clickup.errors import ClickUpError
    from clickup_elt.demo import run_demo

    with _user_errors(ClickUpError):
        code = run_demo(ui=ui, tasks=tasks)
    sys.exit(code)


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
        with _user_errors():
            run_docs(host=host, port=port, serve_site=not no_serve, open_browser=browser)
    except subprocess.CalledProcessError as exc:
        _fail(f"dbt failed ({exc.returncode}): see its output above")


@main.command(context_settings={"ignore_unknown_options": True})
@click.option(
    "--api-port",
    default=8000,
    show_default=True,
    help="Port of the HTTP API (webhooks, triggers, status) served beside the UI.",
)
@click.option("--no-api", is_flag=True, help="Serve the Dagster UI only.")
@click.argument("dagster_args", nargs=-1, type=click.UNPROCESSED)
def dev(api_port: int, no_api: bool, dagster_args: tuple[str, ...]) -> None:
    """`dagster dev -w workspace.yaml` with the project's environment (embedded Postgres,
    DAGSTER_HOME), and `clickup-elt serve` beside it. Other arguments go to `dagster dev`."""
    from clickup_elt.dev import run_dev

    with _user_errors():
        settings.prepare_environment()
    click.echo("parsing the dbt project")
    with _user_errors(RuntimeError):
        sys.exit(run_dev(dagster_args, None if no_api else api_port))


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; other than this machine only with CLICKUP_ELT_API_KEY set.",
)
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
def serve(host: str, port: int) -> None:
    """The sync service's HTTP API: GET /health_check, POST /trigger_sync, POST /trigger_board_sync,
    GET /sync_status, POST /webhooks/clickup (OpenAPI page at /docs)."""
    from clickup_elt.service.access import check_bind
    from clickup_elt.service.server import serve as run_server

    with _user_errors():
        check_bind(host)
        settings.prepare_environment()
    run_server(host, port)


@main.group()
def webhooks() -> None:
    """ClickUp webhooks, one per workspace: changes reach the marts within a minute."""


def _print_webhooks(rows: list[Row]) -> None:
    from clickup_elt.summary import print_rows

    print_rows(
        [
            {
                "workspace": r.workspace_id,
                "webhook": r.webhook_id,
                "endpoint": r.endpoint,
                "status": r.status,
                "secret": r.secret,
                "": r.done,
            }
            for r in rows
        ],
        empty="no webhooks registered: `clickup-elt webhooks register --url https://…`",
    )


@webhooks.command("register")
@click.option(
    "--url",
    required=True,
    help="The public https URL of POST /webhooks/clickup (behind a reverse proxy or tunnel).",
)
@click.option("--workspace", "workspaces", multiple=True, help="Only this workspace id (repeatable).")
def webhooks_register(url: str, workspaces: tuple[str, ...]) -> None:
    """Create (or re-point, re-activate) each workspace's webhook; secrets are stored, never shown."""
    from clickup_elt.clickup.errors import ClickUpError
    from clickup_elt.webhooks import commands

    with _user_errors(ClickUpError):
        _print_webhooks(commands.register(url, workspaces))


@webhooks.command("list")
def webhooks_list() -> None:
    """The registered webhooks and the health ClickUp reports for each."""
    from clickup_elt.clickup.errors import ClickUpError
    from clickup_elt.webhooks import commands

    with _user_errors(ClickUpError):
        _print_webhooks(commands.listed())


@webhooks.command("remove")
@click.option("--workspace", "workspaces", multiple=True, help="Only this workspace id (repeatable).")
def webhooks_remove(workspaces: tuple[str, ...]) -> None:
    """Delete the webhooks in ClickUp and here."""
    from clickup_elt.clickup.errors import ClickUpError
    from clickup_elt.webhooks import commands

    with _user_errors(ClickUpError):
        _print_webhooks(commands.remove(workspaces))


@main.command()
@click.option("--concurrency", "-c", default=1, show_default=True, help="Steps this worker runs at once.")
@click.option("--name", default=None, help="Worker name (default: celery's, from the host name).")
def worker(concurrency: int, name: str | None) -> None:
    """A Celery worker for the steps of runs on the distributed profile (see deploy/celery)."""
    with _user_errors():
        settings.prepare_environment()
        from clickup_elt import distributed

        distributed.celery_config()  # a bad setting stops us before the worker starts
    distributed.run_worker(concurrency, name)


@main.command("env")
def env() -> None:
    """`export` lines for what Dagster's own commands need to reach the warehouse and the instance's
    storage (DAGSTER_PG_*, CLICKUP_DBT_*): `eval "$(clickup-elt env)"` before `dagster-daemon run`,
    `dagster-webserver` or `dagster api grpc` (see deploy/celery). They hold the database password."""
    embedded = not os.environ.get("DATABASE_URL")
    with _user_errors():
        url = settings.prepare_environment()
    variables = {**settings.dagster_storage_env(url, embedded), **settings.dbt_env(url)}
    for name, value in variables.items():
        click.echo(f"export {name}={shlex.quote(value)}")


@main.group()
def db() -> None:
    """The embedded PostgreSQL server (used when DATABASE_URL is unset)."""


@db.command("start")
def db_start() -> None:
    """Start the server (creating it on first use) and say where it keeps its data and password."""
    from clickup_elt.warehouse.embedded import EmbeddedPostgres

    embedded = EmbeddedPostgres()
    with _user_errors():
        server = embedded.ensure_running()
    click.echo(f"embedded PostgreSQL running: {server.masked_url()}")
    click.echo(f"  password: in {embedded.password_file} (readable by its owner only)")
    click.echo(f"  data directory: {embedded.data_dir()}")


@db.command("stop")
def db_stop() -> None:
    """Stop the server; its data stays for the next start."""
    from clickup_elt.warehouse.embedded import EmbeddedPostgres

    with _user_errors():
        stopped = EmbeddedPostgres().stop()
    click.echo("embedded PostgreSQL stopped" if stopped else "embedded PostgreSQL was not running")


@db.command("query")
@click.argument("sql")
def db_query(sql: str) -> None:
    """Run one SQL query as a BI tool would: read-only, in the reader role (CLICKUP_READER_ROLE), so
    only the marts in schema `clickup` answer."""
    from clickup_elt.summary import print_query

    with _user_errors():
        url = settings.prepare_environment()
    with _user_errors(RuntimeError):
        print_query(url, sql, os.environ.get("CLICKUP_READER_ROLE") or "clickup_reader")


@main.command(
    context_settings={"ignore_unknown_options": True, "help_option_names": []}, add_help_option=False
)
@click.argument("simulator_args", nargs=-1, type=click.UNPROCESSED)
def simulator(simulator_args: tuple[str, ...]) -> None:
    """Serve a generated ClickUp workspace (the project's ClickUp simulator; `--help` for options)."""
    from clickup_simulator.cli import simulator as simulator_command

    simulator_command.main(list(simulator_args), prog_name="clickup-elt simulator")
