{{
    config(
        materialized='incremental',
        unique_key=['workspace_id', 'task_id'],
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
        indexes=[
            {'columns': ['workspace_id', 'task_id'], 'unique': true},
            {'columns': ['dbt_updated_at']},
        ],
        post_hook=[
            "{% if is_incremental() %}
            delete from {{ this }} as stored
            where not exists (
                select 1 from {{ source('clickup', 'comments') }} as raw
                where raw.workspace_id = stored.workspace_id
                    and raw.parent_type = 'task' and raw.parent_id = stored.task_id
            )
            {% endif %}",
        ],
    )
}}

{#
    One row per task that has comments, with the load signature of its stored comments: a task's
    comments and replies are always loaded together, replacing every earlier copy (one load, one
    `loaded_at`), so the signature of its top-level comments changes whenever any of them does, and
    no JSON is read to tell. `dbt_updated_at` tells the `comments` mart which tasks to rebuild.
#}

with

loads as (

    select
        workspace_id,
        parent_id as task_id,
        {{ load_signature('loaded_at') }} as load_signature

    from {{ source('clickup', 'comments') }}
    where parent_type = 'task'
    group by workspace_id, parent_id

),

changed as (

    {{ tasks_with_new_loads('loads') }}

),

final as (

    select
        *,
        now() as dbt_updated_at

    from changed

)

select * from final
