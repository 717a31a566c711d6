{{
    config(
        materialized='incremental',
        unique_key='comment_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{{ drop_columns_outside_contract() }}",
            "{{ delete_rebuilt_task_rows([ref('int_task_comment_loads')]) }}",
        ],
        post_hook=[
            "{{ delete_vanished_task_rows(ref('int_task_comment_loads')) }}",
            "{{ record_task_mart_build() }}",
        ],
        indexes=[{'columns': ['task_id']}],
    )
}}

{#
    Task comments and threaded replies; a reply's task is its parent comment's task. An incremental
    build rebuilds the comments of the tasks whose comments were loaded again since the last build
    (`int_task_comment_loads`), and drops those of tasks that no longer have any.
#}

with

{% if is_incremental() %}

rebuilt_comment_ids as (

    {# the raw rows of the rebuilt tasks: their comments, and the replies to those #}
    select id
    from {{ source('clickup', 'comments') }}
    where parent_type = 'task'
        and parent_id in ({{ tasks_rebuilt_since_last_run(ref('int_task_comment_loads')) }})

),

{% endif %}

comments as (

    select * from {{ ref('stg_clickup__comments') }}
    {% if is_incremental() %}
    where
        comment_id = any(array(
            select rebuilt_comment_ids.id from rebuilt_comment_ids
            union all
            select replies.id
            from {{ source('clickup', 'comments') }} as replies
            where replies.parent_type = 'comment'
                and replies.parent_id = any(array(select rebuilt_comment_ids.id from rebuilt_comment_ids))
        ))
    {% endif %}

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
