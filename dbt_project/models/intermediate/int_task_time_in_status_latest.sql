{{
    config(
        materialized='incremental',
        unique_key=['workspace_id', 'task_id'],
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
        indexes=[
            {'columns': ['task_id', 'workspace_id'], 'unique': true},
            {'columns': ['dbt_updated_at']},
        ],
        post_hook=[
            "{% if is_incremental() %}
            delete from {{ this }} as stored
            where not exists (
                select 1 from {{ source('clickup', 'task_time_in_status') }} as raw
                where raw.workspace_id = stored.workspace_id and raw.id = stored.task_id
            )
            {% endif %}",
        ],
    )
}}

{#
    `stg_clickup__task_time_in_status` kept as an incremental table, as `int_tasks_latest` keeps tasks:
    a build re-reads only the tasks whose stored copies changed (their load signature differs, so
    loads committing out of order are not missed) and drops tasks no longer stored.
    `dbt_updated_at` tells `task_status_history` which tasks to rebuild.
#}

with

loads as (

    select
        workspace_id,
        id as task_id,
        {{ load_signature('loaded_at') }} as load_signature

    from {{ source('clickup', 'task_time_in_status') }}
    group by workspace_id, id

),

changed as (

    {{ tasks_with_new_loads('loads') }}

),

time_in_status as (

    select * from {{ ref('stg_clickup__task_time_in_status') }}
    {% if is_incremental() %}
    where task_id = any(array(select changed.task_id from changed))
    {% endif %}

),

final as (

    select
        time_in_status.*,
        changed.load_signature,
        now() as dbt_updated_at

    from time_in_status
    inner join changed
        on time_in_status.workspace_id = changed.workspace_id
        and time_in_status.task_id = changed.task_id

)

select * from final
