{#
    Time entries of every member. Running timers have no duration yet (`is_running`, duration null).
    The list, folder and space come from the entry's task location, else from the task.
#}

with

entries as (

    select * from {{ ref('stg_clickup__time_entries') }}

),

tasks as (

    select
        task_id,
        workspace_id,
        list_id,
        folder_id,
        space_id,
        task_name

    from {{ ref('int_tasks_latest') }}

),

final as (

    select
        entries.time_entry_id,
        entries.workspace_id,
        entries.user_id,
        entries.username,
        entries.task_id,
        tasks.task_name,
        coalesce(entries.list_id, tasks.list_id) as list_id,
        coalesce(entries.folder_id, tasks.folder_id) as folder_id,
        coalesce(entries.space_id, tasks.space_id) as space_id,
        entries.description,
        entries.started_at,
        entries.ended_at,
        entries.duration_ms,
        entries.is_running,
        entries.is_billable,
        entries.tag_names as tags,
        entries.entry_source,
        entries.updated_at

    from entries
    left join tasks
        on entries.workspace_id = tasks.workspace_id
        and entries.task_id = tasks.task_id

)

select * from final
