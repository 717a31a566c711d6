"""DDL of the raw schema: one table per ClickUp entity, plus the sync log, deletions (and candidates
awaiting confirmation), how far each workspace's changes were read (watermarks), the webhooks and the
events they delivered, which token reaches which workspace, which task version each per-task extra
was fetched for, and the record keys seen so far (schema drift).

Every raw table has the same shape so that loading, checks and dbt sources treat them alike:
the API record untouched as ``data`` (jsonb), the ids the record itself lacks, and load columns.
"""

from __future__ import annotations

RAW_SCHEMA = "clickup_raw"

# Entities loaded into clickup_raw.<entity>; the order is the order of the asset graph.
RAW_ENTITIES = (
    "workspaces",
    "members",
    "user_groups",
    "spaces",
    "folders",
    "lists",
    "custom_fields",
    "tags",
    "tasks",
    "comments",
    "time_entries",
    "task_time_in_status",
    "goals",
    "key_results",
)

RAW_TABLE_DDL = """
create table if not exists {schema}.{table} (
    workspace_id   text        not null,
    id             text        not null,
    parent_type    text,
    parent_id      text,
    partition_date date,
    data           jsonb       not null,
    run_id         text        not null,
    loaded_at      timestamptz not null default now()
);
create index if not exists {table}_partition_idx on {schema}.{table} (workspace_id, partition_date);
-- id first: dbt's incremental models look records up by id alone (`id = any(...)`), which an index led by
-- workspace_id (the former {table}_id_idx) cannot serve, leaving a scan that compares every row to every id
drop index if exists {schema}.{table}_id_idx;
create index if not exists {table}_record_idx on {schema}.{table} (id, workspace_id);
create index if not exists {table}_run_idx on {schema}.{table} (run_id);
"""

SYNC_LOG_DDL = """
create table if not exists {schema}.sync_log (
    sync_id          bigserial   primary key,
    workspace_id     text,
    entity           text        not null,
    partition_start  text,
    partition_end    text,
    run_id           text,
    started_at       timestamptz not null,
    finished_at      timestamptz,
    rows             bigint,
    requests         integer,
    rate_limit_waits integer,
    retries          integer,
    outcome          text        not null,
    error            text
);
create index if not exists sync_log_entity_idx on {schema}.sync_log (workspace_id, entity, finished_at);
-- objects that vanished while the load read them; what the load read ('all', 'live_lists', 'lists')
alter table {schema}.sync_log add column if not exists vanished integer;
alter table {schema}.sync_log add column if not exists coverage text;
"""

DELETIONS_DDL = """
create table if not exists {schema}.deletions (
    workspace_id text        not null,
    object_type  text        not null,
    id           text        not null,
    reason       text        not null,
    evidence     jsonb,
    run_id       text,
    detected_at  timestamptz not null default now(),
    primary key (workspace_id, object_type, id)
);
"""

DELETION_CANDIDATES_DDL = """
create table if not exists {schema}.deletion_candidates (
    workspace_id text        not null,
    object_type  text        not null,
    id           text        not null,
    verdict      text,
    reason       text,
    path         text,
    run_id       text,
    detected_at  timestamptz not null default now(),
    primary key (workspace_id, object_type, id)
);
"""
WATERMARKS_DDL = """
create table if not exists {schema}.watermarks (
    workspace_id   text        not null,
    key            text        not null,
    synced_through timestamptz not null,
    updated_at     timestamptz not null default now(),
    primary key (workspace_id, key)
);
"""

WEBHOOKS_DDL = """
create table if not exists {schema}.webhooks (
    workspace_id      text        primary key,
    webhook_id        text        not null unique,
    endpoint          text        not null,
    secret            text        not null,
    token_fingerprint text,
    status            text        not null default 'active',
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now()
);
create table if not exists {schema}.webhook_events (
    event_key       text        primary key,
    webhook_id      text        not null,
    workspace_id    text        not null,
    event           text        not null,
    resource_type   text        not null,
    resource_id     text        not null,
    history_item_id text,
    field           text,
    occurred_at     timestamptz,
    payload         jsonb       not null,
    received_at     timestamptz not null default now(),
    deliveries      integer     not null default 1,
    batch_id        text,
    batched_at      timestamptz,
    applied_at      timestamptz,
    attempts        integer     not null default 0,
    not_before      timestamptz
);
alter table {schema}.webhook_events add column if not exists field text;
create index if not exists webhook_events_pending_idx on {schema}.webhook_events (workspace_id)
    where applied_at is null;
"""

WORKSPACE_TOKENS_DDL = """
create table if not exists {schema}.workspace_tokens (
    workspace_id      text        not null,
    token_fingerprint text        not null,
    workspace_name    text,
    seen_at           timestamptz not null default now(),
    primary key (workspace_id, token_fingerprint)
);
"""

TASK_FETCHES_DDL = """
create table if not exists {schema}.task_fetches (
    workspace_id text        not null,
    entity       text        not null,
    task_id      text        not null,
    date_updated text,
    fetched_at   timestamptz not null default now(),
    primary key (workspace_id, entity, task_id)
);
"""

SCHEMA_KEYS_DDL = """
create table if not exists {schema}.schema_keys (
    entity        text        not null,
    kind          text        not null,
    key           text        not null,
    first_run_id  text,
    first_seen_at timestamptz not null default now(),
    primary key (entity, kind, key)
);
"""


def raw_schema_ddl(schema: str = RAW_SCHEMA) -> str:
    """All statements that create the raw schema; safe to run repeatedly."""
    parts = [f"create schema if not exists {schema};"]
    parts += [RAW_TABLE_DDL.format(schema=schema, table=t) for t in RAW_ENTITIES]
    parts += [
        ddl.format(schema=schema)
        for ddl in (
            SYNC_LOG_DDL,
            DELETIONS_DDL,
            DELETION_CANDIDATES_DDL,
            WATERMARKS_DDL,
            WEBHOOKS_DDL,
            WORKSPACE_TOKENS_DDL,
            TASK_FETCHES_DDL,
            SCHEMA_KEYS_DDL,
        )
    ]
    return "\n".join(parts)
