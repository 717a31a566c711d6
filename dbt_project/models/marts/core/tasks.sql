{#
    One row per task, subtasks, closed, archived and deleted tasks included. A task is completed
    when its status is of type `done` or `closed`; `completed_at` is ClickUp's `date_done`, else
    `date_closed`. `is_overdue` is evaluated when the table is built.
#}

with

tasks as (

    select * from {{ ref('int_tasks_latest') }}

),

lists as (

    select * from {{ ref('stg_clickup__lists') }}

),

folders as (

    select * from {{ ref('stg_clickup__folders') }}

),

spaces as (

    select * from {{ ref('stg_clickup__spaces') }}

),

deletions as (

    select * from {{ ref('stg_clickup__deletions') }}
    where object_type = 'task'

),

joined as (

    select
        tasks.*,
        coalesce(tasks.folder_id, lists.folder_id) as resolved_folder_id,
        coalesce(tasks.space_id, lists.space_id) as resolved_space_id,
        lists.list_name,
        folders.folder_name,
        spaces.space_name,
        deletions.object_id is not null as is_deleted,
        deletions.deleted_reason

    from tasks
    left join lists
        on tasks.workspace_id = lists.workspace_id
        and tasks.list_id = lists.list_id
    left join folders
        on tasks.workspace_id = folders.workspace_id
        and coalesce(tasks.folder_id, lists.folder_id) = folders.folder_id
    left join spaces
        on tasks.workspace_id = spaces.workspace_id
        and coalesce(tasks.space_id, lists.space_id) = spaces.space_id
    left join deletions
        on tasks.workspace_id = deletions.workspace_id
        and tasks.task_id = deletions.object_id

),

final as (

    select
        task_id,
        custom_id,
        workspace_id,
        resolved_space_id as space_id,
        resolved_folder_id as folder_id,
        list_id,
        parent_task_id,
        top_level_parent_id,
        task_name as name,
        description,
        status,
        status_type,
        status_color,
        priority,
        priority_rank,
        creator_id,
        created_at,
        updated_at,
        closed_at,
        done_at,
        coalesce(done_at, closed_at) as completed_at,
        due_at,
        start_at,
        time_estimate_ms,
        time_spent_ms,
        points,
        coalesce(status_type in ('done', 'closed'), false) as is_completed,
        is_archived,
        parent_task_id is not null as is_subtask,
        is_deleted,
        deleted_reason,
        coalesce(
            due_at < now()
            and status_type not in ('done', 'closed')
            and not is_archived
            and not is_deleted,
            false
        ) as is_overdue,
        jsonb_array_length(assignees) as assignee_count,
        jsonb_array_length(watchers) as watcher_count,
        jsonb_array_length(tags) as tag_count,
        url,
        custom_item_id,
        list_name,
        folder_name,
        space_name,
        loaded_at as synced_at

    from joined

)

select * from final
