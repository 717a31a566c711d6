with

user_groups as (

    select * from {{ ref('stg_clickup__user_groups') }}

),

final as (

    select
        group_id,
        workspace_id,
        group_name,
        handle,
        initials,
        creator_user_id,
        jsonb_array_length(members) as member_count,
        created_at

    from user_groups

)

select * from final
