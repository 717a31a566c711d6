"""The code location loads as `dagster dev`, the webserver and the daemon load it: every job, schedule
and sensor resolves, and the dbt models hang below the raw assets they read."""

import dagster as dg

from clickup_elt.definitions import defs as load_defs


def test_every_definition_resolves_and_dbt_reads_the_raw_assets():
    defs = load_defs()
    dg.Definitions.validate_loadable(defs)
    repo = defs.get_repository_def()
    assert {
        "clickup_workspace_sync",
        "clickup_tasks_sync",
        "clickup_time_entries_sync",
        "clickup_daily_sync",
        "clickup_deletion_sweep",
    } <= {job.name for job in repo.get_all_jobs()}
    assert {s.name for s in repo.schedule_defs} >= {"clickup_tasks_hourly", "clickup_workspace_daily"}
    assert {s.name for s in repo.sensor_defs} >= {"clickup_workspace_discovery", "clickup_sync_failures"}

    graph = repo.asset_graph
    ancestors, frontier = set(), [dg.AssetKey(["marts", "tasks"])]
    while frontier:
        parents = graph.get(frontier.pop()).parent_keys - ancestors
        ancestors |= parents
        frontier += parents
    assert dg.AssetKey(["clickup", "tasks"]) in ancestors


def test_raw_assets_and_marts_have_freshness_policies_from_the_health_thresholds():
    """Defaults of CLICKUP_SYNC_MAX_AGE_HOURS: tasks 3 h, other entities 26 h, marts an hour after tasks."""
    graph = load_defs().get_repository_def().asset_graph
    hours = {
        key.to_user_string(): graph.get(key).freshness_policy.fail_window.to_timedelta().total_seconds()
        / 3600
        for key in (
            dg.AssetKey(["clickup", "tasks"]),
            dg.AssetKey(["clickup", "members"]),
            dg.AssetKey(["marts", "tasks"]),
        )
    }
    assert hours == {"clickup/tasks": 3, "clickup/members": 26, "marts/tasks": 4}
