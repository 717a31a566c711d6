"""A ClickUp API v2 simulator: generated workspaces served over HTTP the way ClickUp serves them.

Every test, demo and benchmark of the project runs against it, so it follows the live API
(docs/clickup-api.md) wherever the official spec and the live behaviour disagree: ms-epoch strings,
nulls, `last_page`, archived semantics, errors, rate-limit headers. It also injects, on demand, every
fault a reliability test needs: dirty strings, objects that vanish between two requests, broken and
slow answers.

Python
------
    from clickup_simulator import Simulator, SimulatorConfig, FaultConfig
    sim = Simulator(SimulatorConfig(seed=3, tasks=400, rate_limit=0))   # counts are per workspace
    with sim.serve(host="127.0.0.1", port=0) as server:                  # background thread
        server.url            # http://127.0.0.1:<port>/api/v2 ; server.control_url = …/_sim
        ...

`SimulatorConfig`: seed, preset ("reference"), workspaces, spaces, folders (incl. subfolders),
subfolders, lists (incl. folderless), tasks (incl. subtasks), subtasks, archived_tasks, closed_tasks,
archived_spaces, archived_folders, archived_lists, members (incl. guests and one never-joined invitee),
groups, goals, time_entries, history_days (730), workspace_tasks (tasks of each workspace, for mixed
sizes: the counts derived from tasks follow each workspace's own size), shared_tokens (that many tokens
of the owner, token k of n reaching workspaces k, k + n, …), token (the primary token), rate_limit (per
window and token, each token counted apart; 0 = unlimited: the headers then report a limit of 10,000 that
never runs out, and the reset of a 60 s window), rate_window_s (60), time_in_status_enabled (bool, or the
workspace ids/positions that have the ClickApp), comments_touch_task (True), now_ms (pins and freezes the
clock: same seed + now_ms = byte-identical answers), faults (FaultConfig). `Simulator(config,
render_cache_mb=512)` bounds the cache of rendered tasks.

Tokens (`sim.tokens`): `.primary` (= config.token, owner of every workspace), `.admin(workspace_id)` (an
admin of that workspace only), `.shared` (the owner's `shared_tokens`), `.member` (a plain member of the
first workspace: no private spaces, only their own time entries), `.guest` (a guest of the first
workspace: only the lists shared with them), `.nobody` (valid, reaches no workspace), `.all()` /
`.info(token)`.

Ground truth (`sim.truth`), records exactly as the API serves them, in the variant the pipeline asks
for (tasks with markdown_description, fields with applied_objects, time entries with location names
and task tags, goals as `GET /goal/{id}`); the owner's view unless a token is given, i.e. what the
token can reach: deleted objects and objects hidden from every token (and all under them) are left
out. Strings are the stored Python strings, NULs and lone surrogates included:
    workspace_ids(token=None) -> [str]          team(ws) / members(ws) / user(token=None) / groups(ws)
    spaces(ws) / folders(ws) / lists(ws)        archived ones too; folders as GET /space/{id}/folder
    archived_list_ids(ws)                        lists the workspace task endpoint leaves out
    tags(ws) -> {space_id: [tag]}               custom_fields(ws) -> [(level, owner id, field)]
    list_fields(list_id)                         = GET /list/{id}/field
    tasks(ws, markdown=True, token=None)         every task (subtasks, closed, archived, archived lists)
    task(task_id, markdown=True) -> dict | None  (None when deleted or hidden)
    task_ids(ws) / task_indices(ws, token=None)
    comments(task_id) newest first / replies(comment_id) / all_comments(ws) -> [(parent type, parent id, c)]
    time_entries(ws, location_names=True, task_tags=True)   every user's, all time, oldest first
    time_in_status(ws) -> {task_id: record}      {} when the ClickApp is off
    goals(ws) (with key_results) / key_results(ws)
    deleted(ws) -> {"tasks"|"lists"|"folders"|"spaces"|"comments"|"time_entries"|"goals": {id: deleted at ms}}
    webhooks(ws)                                 every user's webhooks, as GET /team/{id}/webhook renders them
Tasks carry `time_spent` (ms, the sum of their finished time entries, 0 when none) in spaces whose
`features.time_tracking.enabled` is true; elsewhere (a `time_tracking` without `enabled` is off) never.

Changes over time (Python; ids in, API records out; every task edit stamps date_updated, strictly
later than before; see `mutations.tasks` for the choices where ClickUp is undocumented). Any string may be
dirty (NUL, a lone UTF-16 surrogate such as "\\ud83d"): task name, description (and the derived
text_content / markdown_description), text custom field values, comment text, time entry description,
list and folder names are stored as given and served as ClickUp serves them, as JSON escapes
("\\u0000", "\\ud83d"):
    advance(seconds) -> now_ms                   now_ms()
    create_task(list_id, name=None, *, parent=None, status=None, **update_fields, creator=None)
    update_task(task_id, name=, description=, status=, priority=, due_date=, start_date=, points=,
                time_estimate=, assignees=[user ids], tags=[names], custom_fields={field id: value|None},
                archived=, custom_item_id=)
    move_task(task_id, list_id)   close_task(task_id, status=None)   reopen_task(task_id, status=None)
    archive_task / unarchive_task / delete_task(task_id)   add_task_to_list / remove_task_from_list
    create_list(folder_or_space_id, name=None)   create_folder(space_id, name=None, parent_folder_id=None)
    create_space(workspace_id, name=None)        public, with one folderless list "List" (as ClickUp)
    rename_list / rename_folder / rename_space (id, name)
    archive_/unarchive_/delete_ list | folder | space (id)
    create_comment(task_id, text, user_id=None, parent_comment_id=None)   delete_comment(comment_id)
    update_comment(comment_id, text)
    create_time_entry(task_id, user_id=None, start_ms=None, duration_ms=3_600_000, description="",
                      billable=False, running=False)   delete_time_entry(entry_id)
    update_time_entry(entry_id, start_ms=None, duration_ms=None, description=None)  e.g. out of a window
    create_goal(workspace_id, name=None, description="", due_date=None, color=None)
    update_goal(goal_id, name=, description=, due_date=, color=)
    delete_goal(goal_id)                          GET /goal/{id} then answers 404 ITEM_015
    hide(kind, object_id) / unhide(kind, object_id)   kind: task | list | folder | space; also
        hide_task / hide_list / hide_folder / hide_space (id) and unhide_*: private to every token, the
        owner included: per-object reads (and reads under it) answer 401 ACCESS_083 (tasks) or 401
        ACCESS_080 (List / Folder / Space), listings and the truth leave it and all under it out
    after(endpoint, count, action, object_id=None, **args) -> trigger
        once `count` more answers of the endpoint template ("GET /team/{team_id}/task") are computed,
        run `action` (delete_* | hide_* | unhide_* | archive_* | unarchive_* | update_task |
        update_time_entry | move_task | close_task | reopen_task) before the last one is sent;
        `sim.triggers.list()` / `.clear()`
    set_time_in_status(workspace_id, enabled)   set_rate_limit(limit=None, window_s=None)
    reset_rate_limits()

Faults (`sim.faults`, `FaultConfig`): `update(error_rate=, latency_ms=, latency_jitter_ms=, drop_rate=,
truncate_rate=, malformed_rate=, missing_key_rate=, html_rate=, slow_rate=, slow_ms=, storm_every=,
storm_length=, storm_headers=, burst_every=, burst_length=, endpoints=[templates], seed=)`,
`force(kind, …)` for the next requests (kinds: error, drop, truncate, malformed, storm, missing_key,
html, slow), `clear()`. missing_key: a 200 JSON without its main key (`{}` for `{"folders": […]}`, a
page without `tasks`, a task without `id`); html: a 200 text/html page from a proxy; slow: held back
`slow_ms` (default 130 s, past a 120 s read timeout); burst: every `burst_every`-th request starts
`burst_length` 5xx answers (JSON 500s, HTML 502/503/504s); storm_headers=False: storm 429s without
X-RateLimit-* headers. Rates and runs apply only to `endpoints` when given. Decisions come from (seed,
request number): reproducible for a client that sends one request at a time.

Webhooks (`sim.webhooks`; see `webhooks/`). Every change above (and its `/_sim/` path, and a trigger's
action) queues the events ClickUp sends for it, shaped like the documented payloads: taskCreated (+
taskStatusUpdated), one taskUpdated per changed field plus its specific event with the same history item
(taskStatusUpdated, taskPriorityUpdated, taskAssigneeUpdated, taskDueDateUpdated, taskTagUpdated,
taskMoved, taskTimeEstimateUpdated, taskTimeTrackedUpdated, taskCommentPosted, taskCommentUpdated),
taskDeleted (subtasks too), list/folder/space Created/Updated/Deleted (a deleted folder or space also
sends listDeleted for each list), goalCreated/Updated/Deleted; `webhooks.observe_tasks` and
`webhooks.observe_hierarchy` list which mutation sends what. Hiding sends nothing. An event goes to each
webhook of the workspace that is not suspended, subscribes to it, watches a location the change lies in,
and whose owner may see the object; as a POST of the JSON body, `Content-Type: application/json`,
`X-Signature` = hex HMAC-SHA256 of the raw body with the webhook's secret, from a background queue per
webhook, in the order of the changes. ClickUp's health rules: a non-2xx answer or one slower than
`timeout_s` fails the attempt; after `attempts` the event is dropped and `fail_count` grows (`failing`);
a delivery resets it (`active`); 100 failures, or an answer of 401 or 410, suspend the webhook until
`PUT /webhook/{id}` sets `status: active`.
    create(ws, endpoint, events="*", *, token=None, space_id=, folder_id=, list_id=, task_id=)
        -> {id, webhook}
    list(ws, token=None)   update(webhook_id, *, endpoint=, events=, status="active", token=None)
    delete(webhook_id, token=None)   all(ws=None)        as the HTTP API; errors raise api.errors.ApiError
    configure(timeout_s=7, attempts=5, backoff_s=1 (doubling), backoff_max_s=30, reorder_hold_s=1,
              log_size=1000) -> settings             settings / pending
    drain(timeout=30) -> bool                    until every queued delivery went out or was given up
    log(webhook_id=None, event=None) -> [record]   number, webhook_id, event, the resource id,
        history_item_ids, fault, outcome (queued | held | delivered | failed | suspended | discarded |
        dropped), status, error ("timeout", a connection error), attempts, copies, queued_at, sent_at
        (simulated ms), took_ms;   clear_log()
    faults (= `sim.webhook_faults`): update(drop_rate=, duplicate_rate=, reorder_rate=, seed=), clear():
        dropped deliveries are never sent, duplicated ones sent twice (same body and signature),
        reordered ones held back until the webhook's next delivery went out; decided from (seed,
        delivery number), so a run repeats

Statistics (`sim.stats`): `snapshot()` (total, by_endpoint such as "GET /team/{team_id}/task", by_token
fingerprint as the pipeline's client names tokens, by_endpoint_and_token; requests, bytes sent, statuses),
`requests(endpoint=None, token=None)`, `bytes_sent(...)`, `reset()`. `/_sim/` requests are not counted.

HTTP
----
`/api/v2/...`: every read endpoint of docs/clickup-api.md §1 (see `api/`) and the webhook routes
(`webhooks.api`: POST/GET /team/{id}/webhook, PUT/DELETE /webhook/{id}, JSON bodies; a duplicate answers
400 OAUTH_171, an unknown or another user's webhook 404 ITEM_015); nothing works without a token
(401 OAUTH_017 / OAUTH_025), a workspace the token does not reach answers 401 OAUTH_027, an unknown
route 404 APP_001, a known path with another method 404 text/html; rate-limit headers on every answer
but 401s (rate limit or not). `/_sim/...` (no token): the control API listed in `control.routing` (hide,
triggers, time entry edits, goals, webhook faults, settings, deliveries and drain: everything above
has a path there).

Command: `clickup-elt simulator --host H --port P --seed N --tasks N --rate-limit RPM --token T` (the
same command runs on its own as `python -m clickup_simulator`), plus `--preset`, the sizing flags,
`--workspace-tasks N,N,…`, `--shared-tokens N`, `--rate-window`, `--now-ms`, `--no-time-in-status` and
the fault flags (`--error-rate`, `--latency-ms`, `--latency-jitter-ms`, `--drop-rate`, `--truncate-rate`,
`--malformed-rate`, `--missing-key-rate`, `--html-rate`, `--slow-rate`, `--slow-ms`, `--storm-every`,
`--storm-length`, `--no-storm-headers`, `--burst-every`, `--burst-length`, `--fault-seed`,
`--fault-endpoint`; see `--help`).

Layout
------
The package imports nothing from the pipeline (`clickup_elt`), which imports it only to serve the demo's
workspace and to offer the command; tests and benchmarks start it directly.
    config, simulator   SimulatorConfig / FaultConfig; the `Simulator` that puts the parts together
    server, cli         the HTTP server (`/api/v2` and `/_sim/`); the command
    generation/         the world and its task columns from the seed; ids, hashes, words, field values
    state/              run-time state, clock, comments, time entries, time in status, ground truth
    access/             tokens, what each role may read, hidden objects
    rendering/          records as ClickUp serialises them; JSON that keeps dirty strings
    api/                `/api/v2` routing and endpoints, task queries, errors, rate limits, statistics
    mutations/          changes over time, and the triggers that time them
    faults/             which request fails and how; what a fault looks like on the wire
    control/            the `/_sim/` control API
    webhooks/           registration, events of the changes, signed deliveries, health, delivery faults
"""

from clickup_simulator.config import FaultConfig, SimulatorConfig
from clickup_simulator.simulator import Simulator

__all__ = ["FaultConfig", "Simulator", "SimulatorConfig"]
