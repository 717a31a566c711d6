{# The latest load of each task's time in status; `by_minute` counts are minutes. #}

with

source as (

    select * from {{ source('clickup', 'task_time_in_status') }}

),

latest as (

    select distinct on (workspace_id, id) *
    from source
    order by workspace_id asc, id asc, loaded_at desc, partition_date desc nulls last

),

renamed as (

    select

        ----------  ids
        id as task_id,
        workspace_id,

        ---------- text
        data->'current_status'->>'status' as current_status,

        ---------- numerics
        {{ to_bigint("data->'current_status'->'total_time'->>'by_minute'") }} as current_status_minutes,

        ---------- json
        {{ json_array("data->'status_history'") }} as status_history,

        ---------- timestamps
        {{ ms_to_timestamp("data->'current_status'->'total_time'->>'since'") }} as current_status_since,

        ---------- load
        partition_date,
        loaded_at

    from latest

)

select * from renamed
