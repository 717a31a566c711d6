"""`clickup-elt demo`: a whole sync against the local ClickUp simulator, then a summary.

The simulator serves a generated workspace on a free port; the sync goes through Dagster into the
warehouse (the embedded Postgres unless DATABASE_URL is set) and dbt builds the marts. The summary
compares what landed with what the simulator holds.
"""

from __future__ import annotations

import datetime as dt
import os

import click

from clickup_elt import settings


def _count(url: str, sql: str) -> int | None:
    from clickup_elt.warehouse import db

    try:
        with db.connection(url) as conn, conn.cursor() as cur:
            cur.execute(sql)
            return db.one_row(cur)[0]
    except Exception:  # a mart that failed to build is reported as missing
        return None


def run_demo(ui: bool = False, tasks: int = 2000, seed: int = 7) -> int:
    from clickup_elt.summary import print_summary
    from clickup_elt.sync import run_sync
    from clickup_simulator import Simulator, SimulatorConfig

    settings.load_dotenv_file()
    # The simulated history is two years; reading from its last quarter is plenty for a demo (older
    # records are filed under the first day) and keeps the demo quick.
    os.environ.setdefault("CLICKUP_START_DATE", (dt.date.today() - dt.timedelta(days=90)).isoformat())
    config = SimulatorConfig(seed=seed, tasks=tasks, rate_limit=0)
    sim = Simulator(config)
    with sim.serve(host="127.0.0.1", port=0) as server:
        os.environ["CLICKUP_API_URL"] = server.url
        os.environ["CLICKUP_API_TOKEN"] = config.token
        os.environ.pop("CLICKUP_WORKSPACE_IDS", None)
        click.echo(f"ClickUp simulator serving {tasks} tasks at {server.url}")
        result = run_sync(full=True)
        print_summary(result)
        url = os.environ["DATABASE_URL"]
        expected = sum(len(list(sim.truth.tasks(ws))) for ws in sim.truth.workspace_ids(config.token))
        landed = _count(url, "select count(*) from clickup.tasks")
        click.echo(f"\ntasks in the simulator: {expected}")
        click.echo(f"tasks in clickup.tasks: {landed if landed is not None else 'missing'}")
        ok = result.success and landed == expected
        click.secho("demo OK" if ok else "demo FAILED", fg="green" if ok else "red")
        if ok and ui:  # the simulator keeps serving from this process while the UI runs
            import subprocess

            from clickup_elt.dev import dagster_dev_command
            from clickup_elt.paths import PROJECT_DIR

            click.echo("starting the Dagster UI (Ctrl-C to stop)")
            subprocess.run(dagster_dev_command(), cwd=PROJECT_DIR, check=False)
        return 0 if ok else 1
