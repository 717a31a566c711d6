"""What `sync`, `status` and `demo` print: short tables a person can read."""

from __future__ import annotations

import click

from clickup_elt.sync import SyncResult, status_rows


def _table(rows: list[dict], columns: list[str]) -> str:
    widths = {c: max([len(c)] + [len(str(r.get(c, ""))) for r in rows]) for c in columns}
    lines = ["  ".join(c.ljust(widths[c]) for c in columns),
             "  ".join("-" * widths[c] for c in columns)]
    lines += ["  ".join(str(r.get(c, "") if r.get(c) is not None else "").ljust(widths[c])
                        for c in columns) for r in rows]
    return "\n".join(lines)


def print_summary(result: SyncResult) -> None:
    import os

    run_ids = [run_id for _, run_id, _ in result.runs]
    rows = [r for r in status_rows(os.environ["DATABASE_URL"]) if r.get("run_id") in run_ids]
    click.echo(f"\nworkspaces synced: {', '.join(result.workspaces) or 'none'}")
    if rows:
        click.echo(_table(rows, ["workspace_id", "entity", "rows", "requests", "outcome"]))
    for job, run_id, ok in result.runs:
        click.echo(f"{'ok  ' if ok else 'FAIL'} {job} run {run_id}")
    for failure in result.failures:
        click.secho(f"failed: {failure}", fg="red", err=True)


def print_status(url: str) -> None:
    rows = status_rows(url)
    if not rows:
        click.echo("no syncs yet: run `clickup-elt sync --full`")
        return
    click.echo(_table(rows, ["workspace_id", "token", "entity", "finished_at", "last_success", "rows",
                             "requests", "outcome", "error"]))
