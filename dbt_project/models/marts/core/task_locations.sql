{# The lists a task was added to besides its home list (ClickUp's "tasks in multiple lists"). #}

with

tasks as (

    select * from {{ ref('int_tasks_latest') }}

),

lists as (

    select * from {{ ref('stg_clickup__lists') }}

),

unnested as (

    select distinct on (tasks.task_id, location->>'id')
        tasks.task_id,
        tasks.workspace_id,
        location->>'id' as list_id,
        location->>'name' as location_list_name

    from tasks
    cross join lateral jsonb_array_elements(tasks.locations) as location
    where location->>'id' is not null
        and location->>'id' is distinct from tasks.list_id
    order by tasks.task_id, location->>'id'

),

final as (

    select
        unnested.task_id,
        unnested.workspace_id,
        unnested.list_id,
        coalesce(lists.list_name, unnested.location_list_name) as list_name,
        lists.folder_id,
        lists.space_id

    from unnested
    left join lists
        on unnested.workspace_id = lists.workspace_id
        and unnested.list_id = lists.list_id

)

select * from final
