{# Task comments and threaded replies; a reply's task is its parent comment's task. #}

with

comments as (

    select * from {{ ref('stg_clickup__comments') }}

),

final as (

    select
        comments.comment_id,
        comments.workspace_id,
        coalesce(comments.task_id, parents.task_id) as task_id,
        comments.parent_comment_id,
        comments.is_reply,
        comments.comment_text,
        comments.user_id,
        comments.username,
        comments.assignee_user_id,
        comments.assigned_by_user_id,
        comments.is_resolved,
        comments.reply_count,
        comments.reaction_count,
        comments.commented_at

    from comments
    left join comments as parents
        on comments.workspace_id = parents.workspace_id
        and comments.parent_comment_id = parents.comment_id

)

select * from final
