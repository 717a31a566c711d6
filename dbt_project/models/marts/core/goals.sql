with

goals as (

    select * from {{ ref('stg_clickup__goals') }}

),

final as (

    select
        goal_id,
        workspace_id,
        pretty_id,
        goal_name,
        description,
        goal_color,
        goal_folder_id,
        creator_user_id,
        percent_completed,
        owner_count,
        key_result_count,
        is_private,
        is_archived,
        url,
        created_at,
        start_at,
        due_at

    from goals

)

select * from final
