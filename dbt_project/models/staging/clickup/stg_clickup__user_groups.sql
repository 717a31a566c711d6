with

source as (

    select * from {{ source('clickup', 'user_groups') }}

),

renamed as (

    select

        ----------  ids
        id as group_id,
        workspace_id,
        {{ to_bigint("data->>'userid'") }} as creator_user_id,

        ---------- text
        data->>'name' as group_name,
        data->>'handle' as handle,
        data->>'initials' as initials,

        ---------- json
        {{ json_array("data->'members'") }} as members,

        ---------- timestamps
        {{ ms_to_timestamp("data->>'date_created'") }} as created_at,

        ---------- load
        loaded_at

    from source

)

select * from renamed
