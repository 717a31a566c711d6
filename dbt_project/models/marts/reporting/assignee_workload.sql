{#
    Per workspace member: the open work assigned to them and the time they tracked. Open tasks are
    not completed, archived or deleted. A task with several assignees counts fully for each of them
    (its whole estimate included). `tracked_open_ms` is the time the member tracked on their open
    tasks, to compare with `estimated_open_ms`; running timers are not counted.
#}

with

members as (

    select * from {{ ref('stg_clickup__members') }}

),

tasks as (

    select * from {{ ref('tasks') }}

),

assignees as (

    select * from {{ ref('task_assignees') }}

),

entries as (

    select * from {{ ref('time_entries') }}
    where duration_ms is not null

),

open_assignments as (

    select
        assignees.workspace_id,
        assignees.user_id,
        assignees.username,
        tasks.task_id,
        tasks.is_overdue,
        tasks.due_at,
        tasks.time_estimate_ms

    from assignees
    inner join tasks
        on assignees.task_id = tasks.task_id
    where not tasks.is_completed
        and not tasks.is_archived
        and not tasks.is_deleted

),

open_work as (

    select
        workspace_id,
        user_id,
        max(username) as username,
        count(*) as open_task_count,
        count(*) filter (where is_overdue) as overdue_task_count,
        count(*) filter (
            where due_at >= now() and due_at < now() + interval '7 days'
        ) as due_next_7_days_count,
        count(*) filter (where time_estimate_ms is null) as unestimated_open_task_count,
        coalesce(sum(time_estimate_ms), 0)::bigint as estimated_open_ms

    from open_assignments
    group by 1, 2

),

tracked_open as (

    select
        open_assignments.workspace_id,
        open_assignments.user_id,
        sum(entries.duration_ms)::bigint as tracked_open_ms

    from open_assignments
    inner join entries
        on open_assignments.workspace_id = entries.workspace_id
        and open_assignments.task_id = entries.task_id
        and open_assignments.user_id = entries.user_id
    group by 1, 2

),

tracked_all as (

    select
        workspace_id,
        user_id,
        max(username) as username,
        sum(duration_ms)::bigint as tracked_total_ms,
        coalesce(
            sum(duration_ms) filter (where started_at >= now() - interval '30 days'), 0
        )::bigint as tracked_last_30_days_ms

    from entries
    group by 1, 2

),

people as (

    select
        members.workspace_id,
        members.user_id
    from members
    where members.user_id is not null

    union

    select
        open_work.workspace_id,
        open_work.user_id
    from open_work

    union

    select
        tracked_all.workspace_id,
        tracked_all.user_id
    from tracked_all
    where tracked_all.user_id is not null

),

final as (

    select
        people.workspace_id,
        people.user_id,
        coalesce(members.username, open_work.username, tracked_all.username) as username,
        members.role_name as role,
        coalesce(open_work.open_task_count, 0) as open_task_count,
        coalesce(open_work.overdue_task_count, 0) as overdue_task_count,
        coalesce(open_work.due_next_7_days_count, 0) as due_next_7_days_count,
        coalesce(open_work.unestimated_open_task_count, 0) as unestimated_open_task_count,
        coalesce(open_work.estimated_open_ms, 0) as estimated_open_ms,
        coalesce(tracked_open.tracked_open_ms, 0) as tracked_open_ms,
        greatest(
            coalesce(open_work.estimated_open_ms, 0) - coalesce(tracked_open.tracked_open_ms, 0), 0
        ) as remaining_estimate_ms,
        round(coalesce(open_work.estimated_open_ms, 0) / 3600000.0, 2) as estimated_open_hours,
        round(coalesce(tracked_open.tracked_open_ms, 0) / 3600000.0, 2) as tracked_open_hours,
        coalesce(tracked_all.tracked_total_ms, 0) as tracked_total_ms,
        coalesce(tracked_all.tracked_last_30_days_ms, 0) as tracked_last_30_days_ms

    from people
    left join members
        on people.workspace_id = members.workspace_id
        and people.user_id = members.user_id
    left join open_work
        on people.workspace_id = open_work.workspace_id
        and people.user_id = open_work.user_id
    left join tracked_open
        on people.workspace_id = tracked_open.workspace_id
        and people.user_id = tracked_open.user_id
    left join tracked_all
        on people.workspace_id = tracked_all.workspace_id
        and people.user_id = tracked_all.user_id

)

select * from final
