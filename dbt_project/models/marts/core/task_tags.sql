{{
    config(
        materialized='incremental',
        unique_key='task_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{{ drop_columns_outside_contract() }}",
            "{{ delete_rebuilt_task_rows() }}",
        ],
        post_hook=[
            "{{ delete_vanished_task_rows() }}",
            "{{ record_task_mart_build() }}",
        ],
        indexes=[{'columns': ['task_id']}],
    )
}}

with

tasks as (

    select * from {{ ref('int_tasks_latest') }}
    {% if is_incremental() %}
    where {{ is_rebuilt_task('task_id') }}
    {% endif %}

),

unnested as (

    select distinct on (tasks.task_id, tag->>'name')
        tasks.task_id,
        tasks.workspace_id,
        tasks.space_id,
        tag->>'name' as tag_name,
        tag->>'tag_fg' as foreground_color,
        tag->>'tag_bg' as background_color

    from tasks
    cross join lateral jsonb_array_elements(tasks.tags) as tag
    where tag->>'name' is not null
    order by tasks.task_id, tag->>'name'

),

final as (

    select * from unnested

)

select * from final
