with

key_results as (

    select * from {{ ref('stg_clickup__key_results') }}

),

goals as (

    select * from {{ ref('stg_clickup__goals') }}

),

final as (

    select
        key_results.key_result_id,
        key_results.goal_id,
        key_results.workspace_id,
        goals.goal_name,
        key_results.key_result_name,
        key_results.key_result_type,
        key_results.unit,
        key_results.creator_user_id,
        key_results.percent_completed,
        key_results.steps_start,
        key_results.steps_end,
        key_results.steps_current,
        key_results.task_count,
        key_results.list_count,
        key_results.owner_count,
        key_results.is_completed,
        key_results.created_at

    from key_results
    left join goals
        on key_results.workspace_id = goals.workspace_id
        and key_results.goal_id = goals.goal_id

)

select * from final
