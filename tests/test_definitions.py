"""The code location loads as `dagster dev`, the webserver and the daemon load it: every job, schedule
and sensor resolves, and the dbt models hang below the raw assets they read."""

import dagster as dg

from clickup_elt.definitions import defs as load_defs


def test_every_definition_resolves_and_dbt_reads_the_raw_assets():
    defs = load_defs()
    dg.Definitions.validate_loadable(defs)
    repo = defs.get_repository_def()
    assert {"clickup_workspace_sync", "clickup_tasks_sync", "clickup_time_entries_sync",
            "clickup_daily_sync", "clickup_deletion_sweep"} <= {job.name for job in repo.get_all_jobs()}
    assert {s.name for s in repo.schedule_defs} >= {"clickup_tasks_hourly", "clickup_workspace_daily"}
    assert {s.name for s in repo.sensor_defs} >= {"clickup_workspace_discovery", "clickup_sync_failures"}

    graph = repo.asset_graph
    ancestors, frontier = set(), [dg.AssetKey(["marts", "tasks"])]
    while frontier:
        parents = graph.get(frontier.pop()).parent_keys - ancestors
        ancestors |= parents
        frontier += parents
    assert dg.AssetKey(["clickup", "tasks"]) in ancestors
