"""What `sync`, `status` and `demo` print: short tables a person can read."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from clickup_elt.status import workspace_status

if TYPE_CHECKING:
    from clickup_elt.sync import SyncResult


def _table(rows: list[dict], columns: list[str]) -> str:
    widths = {c: max([len(c)] + [len(str(r.get(c, ""))) for r in rows]) for c in columns}
    lines = ["  ".join(c.ljust(widths[c]) for c in columns), "  ".join("-" * widths[c] for c in columns)]
    lines += [
        "  ".join(str(r.get(c, "") if r.get(c) is not None else "").ljust(widths[c]) for c in columns)
        for r in rows
    ]
    return "\n".join(lines)


def print_summary(result: SyncResult) -> None:
    """What a `sync` did (a SyncResult): rows and requests per workspace and entity, runs, failures."""
    import os

    from clickup_elt.sync import status_rows

    run_ids = [run_id for _, run_id, _ in result.runs]
    rows = [r for r in status_rows(os.environ["DATABASE_URL"]) if r.get("run_id") in run_ids]
    click.echo(f"\nworkspaces synced: {', '.join(result.workspaces) or 'none'}")
    if rows:
        click.echo(_table(rows, ["workspace_id", "entity", "rows", "requests", "outcome"]))
    for job, run_id, ok in result.runs:
        click.echo(f"{'ok  ' if ok else 'FAIL'} {job} run {run_id}")
    for failure in result.failures:
        click.secho(f"failed: {failure}", fg="red", err=True)


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else "never"


def print_status(url: str, as_json: bool = False) -> None:
    """Per workspace: last full and incremental sync, rows per entity, what failed and its fix."""
    import json

    workspaces = workspace_status(url)
    if as_json:
        click.echo(json.dumps(workspaces, indent=2, default=str))
        return
    if not workspaces:
        click.echo("no syncs yet: run `clickup-elt sync --full`")
        return
    for ws in workspaces:
        name = f' "{ws["name"]}"' if ws["name"] else ""
        click.echo(f"\nworkspace {ws['workspace_id']}{name}, token {ws['token'] or 'none configured'}")
        click.echo(f"  last full sync:        {_when(ws['last_full_sync'])}")
        click.echo(f"  last incremental sync: {_when(ws['last_incremental_sync'])}")
        if ws["deletions_to_confirm"]:
            click.echo(
                f"  {ws['deletions_to_confirm']} vanished tasks wait for the next task load to confirm them"
            )
        rows = [
            {**e, "last_success": _when(e["last_success"]), "result": e["outcome"]} for e in ws["entities"]
        ]
        click.echo(
            "\n".join(
                "  " + line
                for line in _table(
                    rows, ["entity", "rows", "last_success", "requests", "result"]
                ).splitlines()
            )
        )
        for entity in ws["entities"]:
            if entity["outcome"] == "failure":
                click.secho(f"  failed: {entity['entity']}: {entity['error']}", fg="red")
                click.echo(f"    fix: {entity['fix']}")


def print_query(url: str, sql: str, role: str) -> None:
    """The rows of `sql`, read-only and in `role`, as a table; a database error as RuntimeError."""
    import psycopg2

    from clickup_elt.warehouse import db

    try:
        with db.connection(url) as conn, conn.cursor() as cur:
            cur.execute("set transaction read only")
            cur.execute(f'set local role "{role}"')
            cur.execute(sql)
            names = [d[0] for d in cur.description or []]
            rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()] if names else []
    except psycopg2.Error as exc:
        raise RuntimeError(f"the query failed: {str(exc).strip().splitlines()[0]}") from None
    click.echo(_table(rows, names) if names else "done")
    click.echo(f"({len(rows)} rows)")


def print_rows(rows: list[dict], empty: str) -> None:
    """A list of dicts as a table (the columns of the first), or `empty` when there are none."""
    click.echo(_table(rows, list(rows[0])) if rows else empty)
