with

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
    where object_type = 'list'

),

tasks as (

    select
        workspace_id,
        list_id,
        count(*) as task_count,
        count(*) filter (where not is_completed and not is_archived) as open_task_count,
        count(*) filter (where is_completed) as completed_task_count,
        count(*) filter (where is_archived) as archived_task_count,
        count(*) filter (where is_overdue) as overdue_task_count

    from {{ ref('tasks') }}
    where not is_deleted
    group by 1, 2

),

final as (

    select
        lists.list_id,
        lists.workspace_id,
        lists.list_name,
        lists.folder_id,
        folders.folder_name,
        lists.space_id,
        spaces.space_name,
        lists.is_folderless,
        lists.list_description,
        lists.list_status,
        lists.list_priority,
        lists.list_orderindex,
        lists.is_archived,
        coalesce(folders.is_archived, false) as is_folder_archived,
        coalesce(spaces.is_archived, false) as is_space_archived,
        (
            lists.is_archived
            or coalesce(folders.is_archived, false)
            or coalesce(spaces.is_archived, false)
        ) as is_archived_anywhere,
        deletions.object_id is not null as is_deleted,
        deletions.deleted_reason,
        deletions.deleted_detected_at,
        lists.has_own_statuses,
        coalesce(tasks.task_count, 0) as task_count,
        coalesce(tasks.open_task_count, 0) as open_task_count,
        coalesce(tasks.completed_task_count, 0) as completed_task_count,
        coalesce(tasks.archived_task_count, 0) as archived_task_count,
        coalesce(tasks.overdue_task_count, 0) as overdue_task_count,
        lists.api_task_count,
        lists.due_at,
        lists.start_at

    from lists
    left join folders
        on lists.workspace_id = folders.workspace_id
        and lists.folder_id = folders.folder_id
    left join spaces
        on lists.workspace_id = spaces.workspace_id
        and lists.space_id = spaces.space_id
    left join deletions
        on lists.workspace_id = deletions.workspace_id
        and lists.list_id = deletions.object_id
    left join tasks
        on lists.workspace_id = tasks.workspace_id
        and lists.list_id = tasks.list_id

)

select * from final
