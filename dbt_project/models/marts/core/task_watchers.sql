{{
    config(
        materialized='incremental',
        unique_key='task_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook="{{ delete_rebuilt_task_rows() }}",
        post_hook="{{ delete_vanished_task_rows() }}",
        indexes=[{'columns': ['task_id']}],
    )
}}

with

tasks as (

    select * from {{ ref('int_tasks_latest') }}
    {% if is_incremental() %}
    where task_id in ({{ tasks_rebuilt_since_last_run(ref('int_tasks_latest')) }})
    {% endif %}

),

unnested as (

    select distinct on (tasks.task_id, {{ to_bigint("person->>'id'") }})
        tasks.task_id,
        tasks.workspace_id,
        {{ to_bigint("person->>'id'") }} as user_id,
        person->>'username' as username,
        person->>'email' as email,
        person->>'initials' as initials,
        tasks.dbt_updated_at

    from tasks
    cross join lateral jsonb_array_elements(tasks.watchers) as person
    where {{ to_bigint("person->>'id'") }} is not null
    order by tasks.task_id, {{ to_bigint("person->>'id'") }}

),

final as (

    select * from unnested

)

select * from final
