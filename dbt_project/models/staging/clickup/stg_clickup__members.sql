with

source as (

    select * from {{ source('clickup', 'members') }}

),

renamed as (

    select

        ----------  ids
        workspace_id,
        {{ to_bigint("id") }} as user_id,
        {{ to_bigint("data->'invited_by'->>'id'") }} as invited_by_user_id,

        ---------- text
        data->'user'->>'username' as username,
        data->'user'->>'email' as email,
        data->'user'->>'initials' as initials,
        data->'user'->>'color' as user_color,
        data->'user'->>'profilePicture' as profile_picture_url,
        data->'user'->>'role_key' as role_key,
        data->'user'->'custom_role'->>'name' as custom_role_name,
        case {{ to_bigint("data->'user'->>'role'") }}
            when 1 then 'owner'
            when 2 then 'admin'
            when 3 then 'member'
            when 4 then 'guest'
        end as role_name,

        ---------- numerics
        {{ to_bigint("data->'user'->>'role'") }}::integer as role_id,
        {{ to_bigint("coalesce(data->'user'->'custom_role'->>'id', data->'user'->>'custom_role')") }}
            as custom_role_id,

        ---------- timestamps
        {{ ms_to_timestamp("data->'user'->>'last_active'") }} as last_active_at,
        {{ ms_to_timestamp("data->'user'->>'date_joined'") }} as joined_at,
        {{ ms_to_timestamp("data->'user'->>'date_invited'") }} as invited_at,

        ---------- load
        loaded_at

    from source

)

select * from renamed
