with

source as (

    select * from {{ source('clickup', 'custom_fields') }}

),

renamed as (

    select

        ----------  ids
        id as field_id,
        workspace_id,
        parent_type as owner_type,
        parent_id as owner_id,

        ---------- text
        data->>'name' as field_name,
        data->>'type' as field_type,

        ---------- booleans
        coalesce({{ to_boolean("data->>'hide_from_guests'") }}, false) as is_hidden_from_guests,
        coalesce({{ to_boolean("data->>'required'") }}, false) as is_required,

        ---------- json
        coalesce(data->'type_config', '{}'::jsonb) as type_config,

        ---------- timestamps
        {{ ms_to_timestamp("data->>'date_created'") }} as created_at,

        ---------- load
        loaded_at

    from source

)

select * from renamed
