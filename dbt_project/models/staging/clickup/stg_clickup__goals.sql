with

source as (

    select * from {{ source('clickup', 'goals') }}

),

renamed as (

    select

        ----------  ids
        id as goal_id,
        workspace_id,
        data->>'pretty_id' as pretty_id,
        nullif(data->>'folder_id', '') as goal_folder_id,
        {{ to_bigint("data->>'creator'") }} as creator_user_id,

        ---------- text
        data->>'name' as goal_name,
        data->>'description' as description,
        data->>'color' as goal_color,
        data->>'pretty_url' as url,

        ---------- numerics
        {{ to_numeric("data->>'percent_completed'") }} as percent_completed,
        jsonb_array_length({{ json_array("data->'owners'") }}) as owner_count,
        jsonb_array_length({{ json_array("data->'key_results'") }}) as key_result_count,

        ---------- booleans
        coalesce({{ to_boolean("data->>'private'") }}, false) as is_private,
        coalesce({{ to_boolean("data->>'archived'") }}, false) as is_archived,

        ---------- json
        {{ json_array("data->'owners'") }} as owners,

        ---------- timestamps
        {{ ms_to_timestamp("data->>'date_created'") }} as created_at,
        {{ ms_to_timestamp("data->>'start_date'") }} as start_at,
        {{ ms_to_timestamp("data->>'due_date'") }} as due_at,

        ---------- load
        loaded_at

    from source

)

select * from renamed
