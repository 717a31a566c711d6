with

workspaces as (

    select * from {{ ref('stg_clickup__workspaces') }}

),

spaces as (

    select
        workspace_id,
        count(*) as space_count

    from {{ ref('stg_clickup__spaces') }}
    group by 1

),

lists as (

    select
        workspace_id,
        count(*) as list_count

    from {{ ref('stg_clickup__lists') }}
    group by 1

),

tasks as (

    select
        workspace_id,
        count(*) filter (where not is_deleted) as task_count

    from {{ ref('tasks') }}
    group by 1

),

final as (

    select
        workspaces.workspace_id,
        workspaces.workspace_name,
        workspaces.workspace_color,
        workspaces.avatar_url,
        workspaces.member_count,
        coalesce(spaces.space_count, 0) as space_count,
        coalesce(lists.list_count, 0) as list_count,
        coalesce(tasks.task_count, 0) as task_count,
        workspaces.loaded_at as synced_at

    from workspaces
    left join spaces on workspaces.workspace_id = spaces.workspace_id
    left join lists on workspaces.workspace_id = lists.workspace_id
    left join tasks on workspaces.workspace_id = tasks.workspace_id

)

select * from final
