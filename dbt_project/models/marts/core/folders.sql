with

folders as (

    select * from {{ ref('stg_clickup__folders') }}

),

spaces as (

    select * from {{ ref('stg_clickup__spaces') }}

),

deletions as (

    select * from {{ ref('stg_clickup__deletions') }}
    where object_type = 'folder'

),

lists as (

    select
        workspace_id,
        folder_id,
        count(*) as list_count

    from {{ ref('stg_clickup__lists') }}
    group by 1, 2

),

tasks as (

    select
        workspace_id,
        folder_id,
        count(*) filter (where not is_deleted) as task_count

    from {{ ref('tasks') }}
    where folder_id is not null
    group by 1, 2

),

final as (

    select
        folders.folder_id,
        folders.workspace_id,
        folders.space_id,
        spaces.space_name,
        folders.parent_folder_id,
        folders.folder_name,
        folders.folder_orderindex,
        folders.is_hidden,
        folders.is_archived,
        coalesce(spaces.is_archived, false) as is_space_archived,
        deletions.object_id is not null as is_deleted,
        deletions.deleted_reason,
        deletions.deleted_detected_at,
        folders.has_own_statuses,
        coalesce(lists.list_count, 0) as list_count,
        coalesce(tasks.task_count, 0) as task_count

    from folders
    left join spaces
        on folders.workspace_id = spaces.workspace_id
        and folders.space_id = spaces.space_id
    left join deletions
        on folders.workspace_id = deletions.workspace_id
        and folders.folder_id = deletions.object_id
    left join lists
        on folders.workspace_id = lists.workspace_id
        and folders.folder_id = lists.folder_id
    left join tasks
        on folders.workspace_id = tasks.workspace_id
        and folders.folder_id = tasks.folder_id

)

select * from final
