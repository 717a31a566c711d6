with

source as (

    select * from {{ source('clickup', 'workspaces') }}

),

renamed as (

    select

        ----------  ids
        id as workspace_id,

        ---------- text
        data->>'name' as workspace_name,
        data->>'color' as workspace_color,
        data->>'avatar' as avatar_url,

        ---------- numerics
        jsonb_array_length({{ json_array("data->'members'") }}) as member_count,

        ---------- load
        loaded_at

    from source

)

select * from renamed
