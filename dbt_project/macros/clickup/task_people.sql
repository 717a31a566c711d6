{#
    One row per task and person of one of the task's people arrays (`assignees`, `watchers`): the
    body of the bridges `task_assignees` and `task_watchers`, rebuilt incrementally by task like
    every task mart (see incremental.sql).
#}

{% macro task_people(people_column) %}

with

tasks as (

    select * from {{ ref('int_tasks_latest') }}
    {% if is_incremental() %}
    where {{ is_rebuilt_task('task_id') }}
    {% endif %}

),

unnested as (

    select distinct on (tasks.task_id, {{ to_bigint("person->>'id'") }})
        tasks.task_id,
        tasks.workspace_id,
        {{ to_bigint("person->>'id'") }} as user_id,
        person->>'username' as username,
        person->>'email' as email,
        person->>'initials' as initials

    from tasks
    cross join lateral jsonb_array_elements(tasks.{{ people_column }}) as person
    where {{ to_bigint("person->>'id'") }} is not null
    order by tasks.task_id, {{ to_bigint("person->>'id'") }}

),

final as (

    select * from unnested

)

select * from final

{% endmacro %}
