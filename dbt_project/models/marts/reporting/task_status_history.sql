{{
    config(
        materialized='incremental',
        unique_key='task_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{{ drop_columns_outside_contract() }}",
            "{{ delete_rebuilt_task_rows([ref('int_tasks_latest'), ref('int_task_time_in_status_latest')]) }}",
        ],
        post_hook=[
            "{{ delete_vanished_task_rows(ref('int_task_time_in_status_latest')) }}",
            "{{ record_task_mart_build() }}",
        ],
        indexes=[{'columns': ['task_id']}],
    )
}}

{#
    Time each task has spent in each status, from ClickUp's time in status (`by_minute` minutes,
    `since` = when the task entered the status). One row per task and status; the current status is
    added from `current_status` when the history lacks it. An incremental build rebuilds the tasks
    whose time in status or task row changed since the last build (see incremental.sql).
#}

with

time_in_status as (

    select * from {{ ref('int_task_time_in_status_latest') }}
    {% if is_incremental() %}
    where {{ is_rebuilt_task('task_id', [ref('int_task_time_in_status_latest'), ref('int_tasks_latest')]) }}
    {% endif %}

),

tasks as (

    select
        task_id,
        workspace_id,
        list_id,
        status,
        status_type

    from {{ ref('int_tasks_latest') }}

),

history as (

    select
        time_in_status.task_id,
        time_in_status.workspace_id,
        entries.entry->>'status' as status,
        lower(entries.entry->>'type') as status_type,
        entries.entry->>'color' as status_color,
        {{ to_bigint("entries.entry->>'orderindex'") }}::integer as status_orderindex,
        {{ to_bigint("entries.entry->'total_time'->>'by_minute'") }} as minutes_in_status,
        {{ ms_to_timestamp("entries.entry->'total_time'->>'since'") }} as entered_at,
        entries.position as history_position

    from time_in_status
    cross join
        lateral jsonb_array_elements(time_in_status.status_history)
        with ordinality as entries (entry, position)
    where entries.entry->>'status' is not null

),

current_statuses as (

    select
        time_in_status.task_id,
        time_in_status.workspace_id,
        time_in_status.current_status as status,
        case when tasks.status = time_in_status.current_status then tasks.status_type end as status_type,
        null::text as status_color,
        null::integer as status_orderindex,
        time_in_status.current_status_minutes as minutes_in_status,
        time_in_status.current_status_since as entered_at,
        null::bigint as history_position

    from time_in_status
    left join tasks
        on time_in_status.workspace_id = tasks.workspace_id
        and time_in_status.task_id = tasks.task_id
    where time_in_status.current_status is not null
        and not exists (
            select 1
            from history
            where history.task_id = time_in_status.task_id
                and history.workspace_id = time_in_status.workspace_id
                and history.status = time_in_status.current_status
        )

),

unioned as (

    select * from history
    union all
    select * from current_statuses

),

deduplicated as (

    select distinct on (workspace_id, task_id, status) *
    from unioned
    order by workspace_id, task_id, status, history_position nulls last

),

final as (

    select
        deduplicated.task_id,
        deduplicated.status,
        deduplicated.workspace_id,
        tasks.list_id,
        deduplicated.status_type,
        deduplicated.status_color,
        deduplicated.status_orderindex,
        deduplicated.status = time_in_status.current_status as is_current_status,
        deduplicated.entered_at,
        deduplicated.minutes_in_status,
        round(deduplicated.minutes_in_status / 60.0, 2) as hours_in_status

    from deduplicated
    inner join time_in_status
        on deduplicated.workspace_id = time_in_status.workspace_id
        and deduplicated.task_id = time_in_status.task_id
    left join tasks
        on deduplicated.workspace_id = tasks.workspace_id
        and deduplicated.task_id = tasks.task_id

)

select * from final
