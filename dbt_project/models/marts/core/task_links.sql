{# Linked tasks (ClickUp's "relationships"), one row per task and the task it links to. #}

with

tasks as (

    select * from {{ ref('int_tasks_latest') }}

),

links as (

    {# a link is stored on both tasks: the other end is whichever of its ids is not this task #}
    select
        tasks.task_id,
        tasks.workspace_id,
        link,
        case
            when link->>'link_id' = tasks.task_id then link->>'task_id'
            else link->>'link_id'
        end as linked_task_id

    from tasks
    cross join lateral jsonb_array_elements(tasks.linked_tasks) as link

),

unnested as (

    select distinct on (task_id, linked_task_id)
        task_id,
        linked_task_id,
        workspace_id,
        {{ to_bigint("link->>'userid'") }} as created_by_user_id,
        {{ ms_to_timestamp("link->>'date_created'") }} as created_at

    from links
    where linked_task_id is not null
        and linked_task_id <> task_id
    order by task_id asc, linked_task_id asc, link->>'date_created' asc

),

final as (

    select * from unnested

)

select * from final
