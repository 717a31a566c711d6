{#
    Lead and cycle time of each task, in hours.

    - completed_at: ClickUp's `date_done`, else `date_closed` (null while the task is not done);
    - first_active_at: the earliest `since` among the task's time-in-status entries whose status
      type is `custom` (an "active"/in-progress status; `active` in newer status groups), i.e. when
      work started;
    - lead_time_hours: created_at to completed_at;
    - cycle_time_hours: first_active_at to completed_at; null when the task never had an active
      status or entered it only after completion (a reopened task);
    - active_hours: the time actually spent in active statuses (sum of their `by_minute`).
#}

with

tasks as (

    select * from {{ ref('tasks') }}

),

active_statuses as (

    select
        workspace_id,
        task_id,
        min(entered_at) as first_active_at,
        sum(minutes_in_status) as active_minutes

    from {{ ref('task_status_history') }}
    where status_type in ('custom', 'active')
    group by 1, 2

),

joined as (

    select
        tasks.task_id,
        tasks.workspace_id,
        tasks.list_id,
        tasks.status,
        tasks.status_type,
        tasks.is_deleted,
        tasks.created_at,
        active_statuses.first_active_at,
        tasks.completed_at,
        active_statuses.active_minutes

    from tasks
    left join active_statuses
        on tasks.workspace_id = active_statuses.workspace_id
        and tasks.task_id = active_statuses.task_id

),

final as (

    select
        task_id,
        workspace_id,
        list_id,
        status,
        status_type,
        completed_at is not null as is_completed,
        is_deleted,
        created_at,
        first_active_at,
        completed_at,
        case
            when completed_at >= created_at
                then round((extract(epoch from completed_at - created_at) / 3600)::numeric, 4)
        end as lead_time_hours,
        case
            when completed_at >= first_active_at
                then round((extract(epoch from completed_at - first_active_at) / 3600)::numeric, 4)
        end as cycle_time_hours,
        round(active_minutes / 60.0, 4) as active_hours

    from joined

)

select * from final
