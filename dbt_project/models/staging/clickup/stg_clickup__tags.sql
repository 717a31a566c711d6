with

source as (

    select * from {{ source('clickup', 'tags') }}

),

renamed as (

    select

        ----------  ids
        id as tag_id,
        workspace_id,
        parent_id as space_id,
        {{ to_bigint("data->>'creator'") }} as creator_user_id,

        ---------- text
        data->>'name' as tag_name,
        data->>'tag_fg' as foreground_color,
        data->>'tag_bg' as background_color,

        ---------- load
        loaded_at

    from source

)

select * from renamed
