{{
    config(
        materialized='incremental',
        unique_key=['workspace_id', 'task_id'],
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
        indexes=[
            {'columns': ['workspace_id', 'task_id'], 'unique': true},
            {'columns': ['task_id']},
            {'columns': ['dbt_updated_at']},
        ],
        post_hook=[
            "{% if is_incremental() %}
            delete from {{ this }} as stored
            where not exists (
                select 1 from {{ ref('stg_clickup__task_loads') }} as loads
                where loads.workspace_id = stored.workspace_id and loads.task_id = stored.task_id
            )
            {% endif %}",
        ],
    )
}}

-- depends_on: {{ ref('stg_clickup__task_loads') }}

{#
    `stg_clickup__tasks` kept as a table, so the task JSON is parsed once per change instead of once
    per mart and build. An incremental build re-reads only the tasks whose stored copies changed
    (see macros/clickup/incremental.sql) and drops tasks no longer stored at all.
    `dbt_updated_at` tells the task marts which tasks were rewritten.
#}

with

{% if is_incremental() %}

changed as (

    {{ tasks_with_new_loads(ref('stg_clickup__task_loads')) }}

),

{% endif %}

tasks as (

    select * from {{ ref('stg_clickup__tasks') }}
    {% if is_incremental() %}
    where task_id = any(array(select changed.task_id from changed))
    {% endif %}

),

final as (

    select
        *,
        now() as dbt_updated_at

    from tasks

)

select * from final
