with

spaces as (

    select * from {{ ref('stg_clickup__spaces') }}

),

deletions as (

    select * from {{ ref('stg_clickup__deletions') }}
    where object_type = 'space'

),

folders as (

    select
        workspace_id,
        space_id,
        count(*) as folder_count

    from {{ ref('stg_clickup__folders') }}
    group by 1, 2

),

lists as (

    select
        workspace_id,
        space_id,
        count(*) as list_count

    from {{ ref('stg_clickup__lists') }}
    group by 1, 2

),

tasks as (

    select
        workspace_id,
        space_id,
        count(*) filter (where not is_deleted) as task_count

    from {{ ref('tasks') }}
    group by 1, 2

),

final as (

    select
        spaces.space_id,
        spaces.workspace_id,
        spaces.space_name,
        spaces.space_color,
        spaces.is_private,
        spaces.is_archived,
        deletions.object_id is not null as is_deleted,
        deletions.deleted_reason,
        deletions.deleted_detected_at,
        spaces.has_multiple_assignees,
        spaces.has_time_tracking,
        spaces.has_time_estimates,
        spaces.has_points,
        coalesce(folders.folder_count, 0) as folder_count,
        coalesce(lists.list_count, 0) as list_count,
        coalesce(tasks.task_count, 0) as task_count

    from spaces
    left join deletions
        on spaces.workspace_id = deletions.workspace_id
        and spaces.space_id = deletions.object_id
    left join folders
        on spaces.workspace_id = folders.workspace_id
        and spaces.space_id = folders.space_id
    left join lists
        on spaces.workspace_id = lists.workspace_id
        and spaces.space_id = lists.space_id
    left join tasks
        on spaces.workspace_id = tasks.workspace_id
        and spaces.space_id = tasks.space_id

)

select * from final
