with

user_groups as (

    select * from {{ ref('stg_clickup__user_groups') }}

),

unnested as (

    select distinct on (user_groups.group_id, {{ to_bigint("member->>'id'") }})
        user_groups.group_id,
        user_groups.workspace_id,
        {{ to_bigint("member->>'id'") }} as user_id,
        member->>'username' as username,
        member->>'email' as email

    from user_groups
    cross join lateral jsonb_array_elements(user_groups.members) as member
    where {{ to_bigint("member->>'id'") }} is not null
    order by user_groups.group_id, {{ to_bigint("member->>'id'") }}

),

final as (

    select * from unnested

)

select * from final
