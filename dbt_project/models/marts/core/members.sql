with

members as (

    select * from {{ ref('stg_clickup__members') }}

),

final as (

    select
        workspace_id,
        user_id,
        username,
        email,
        initials,
        user_color,
        profile_picture_url,
        role_id,
        coalesce(role_name, role_key) as role,
        role_key,
        custom_role_id,
        custom_role_name,
        invited_by_user_id,
        joined_at is null and invited_at is not null as is_invite_pending,
        last_active_at,
        joined_at,
        invited_at

    from members

)

select * from final
