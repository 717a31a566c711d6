{# Linked tasks (ClickUp's "relationships"), one row per task and the task it links to. #}

with

tasks as (

    select * from {{ ref('int_tasks_latest') }}

),

unnested as (

    select distinct on (tasks.task_id, other.linked_task_id)
        tasks.task_id,
        other.linked_task_id,
        tasks.workspace_id,
        {{ to_bigint("link->>'userid'") }} as created_by_user_id,
        {{ ms_to_timestamp("link->>'date_created'") }} as created_at

    from tasks
    cross join lateral jsonb_array_elements(tasks.linked_tasks) as link
    cross join lateral (
        select
            case
                when link->>'link_id' = tasks.task_id then link->>'task_id'
                else link->>'link_id'
            end as linked_task_id
    ) as other
    where other.linked_task_id is not null
        and other.linked_task_id <> tasks.task_id
    order by tasks.task_id, other.linked_task_id, link->>'date_created'

),

final as (

    select * from unnested

)

select * from final
