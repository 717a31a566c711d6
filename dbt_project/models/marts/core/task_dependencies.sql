{#
    "Waiting on" relations: `task_id` cannot finish before `depends_on_task_id`. ClickUp lists the
    same dependency on both tasks; each pair appears once here.
#}

with

tasks as (

    select * from {{ ref('int_tasks_latest') }}

),

unnested as (

    select
        tasks.workspace_id,
        dependency->>'task_id' as task_id,
        dependency->>'depends_on' as depends_on_task_id,
        {{ to_bigint("dependency->>'type'") }}::integer as dependency_type,
        {{ to_bigint("dependency->>'userid'") }} as created_by_user_id,
        {{ ms_to_timestamp("dependency->>'date_created'") }} as created_at

    from tasks
    cross join lateral jsonb_array_elements(tasks.dependencies) as dependency
    where dependency->>'task_id' is not null
        and dependency->>'depends_on' is not null

),

deduplicated as (

    select distinct on (task_id, depends_on_task_id) *
    from unnested
    order by task_id, depends_on_task_id, created_at

),

final as (

    select
        task_id,
        depends_on_task_id,
        workspace_id,
        dependency_type,
        created_by_user_id,
        created_at

    from deduplicated

)

select * from final
