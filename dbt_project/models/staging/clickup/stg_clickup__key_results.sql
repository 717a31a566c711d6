with

source as (

    select * from {{ source('clickup', 'key_results') }}

),

renamed as (

    select

        ----------  ids
        id as key_result_id,
        workspace_id,
        coalesce(data->>'goal_id', parent_id) as goal_id,
        {{ to_bigint("data->>'creator'") }} as creator_user_id,

        ---------- text
        data->>'name' as key_result_name,
        data->>'type' as key_result_type,
        data->>'unit' as unit,

        ---------- numerics
        {{ to_numeric("data->>'percent_completed'") }} as percent_completed,
        {{ to_numeric("data->>'steps_start'") }} as steps_start,
        {{ to_numeric("data->>'steps_end'") }} as steps_end,
        {{ to_numeric("data->>'steps_current'") }} as steps_current,
        jsonb_array_length({{ json_array("data->'task_ids'") }}) as task_count,
        jsonb_array_length({{ json_array("data->'subcategory_ids'") }}) as list_count,
        jsonb_array_length({{ json_array("data->'owners'") }}) as owner_count,

        ---------- booleans
        coalesce({{ to_boolean("data->>'completed'") }}, false) as is_completed,

        ---------- timestamps
        {{ ms_to_timestamp("data->>'date_created'") }} as created_at,

        ---------- load
        loaded_at

    from source

)

select * from renamed
