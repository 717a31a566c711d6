{#
    Per list and UTC day, from the list's first task to today: tasks created, tasks completed
    (by `completed_at`, i.e. date_done else date_closed) and tasks open at the end of the day
    (created by then and not completed by then). Tasks count in their current home list; deleted
    tasks are left out.
#}

with

tasks as (

    select
        workspace_id,
        list_id,
        (created_at at time zone 'UTC')::date as created_day,
        (completed_at at time zone 'UTC')::date as completed_day

    from {{ ref('tasks') }}
    where not is_deleted
        and list_id is not null
        and created_at is not null

),

bounds as (

    select
        workspace_id,
        list_id,
        least(min(created_day), min(completed_day)) as first_day,
        greatest(
            (now() at time zone 'UTC')::date,
            max(created_day),
            max(completed_day)
        ) as last_day

    from tasks
    group by 1, 2

),

events as (

    {# every day of each list's range once, plus one row per creation and per completion #}
    select
        bounds.workspace_id,
        bounds.list_id,
        bounds.first_day + day_offset as activity_day,
        0 as created,
        0 as completed

    from bounds
    cross join lateral generate_series(0, bounds.last_day - bounds.first_day) as day_offset

    union all

    select
        tasks.workspace_id,
        tasks.list_id,
        tasks.created_day as activity_day,
        1 as created,
        0 as completed
    from tasks

    union all

    select
        tasks.workspace_id,
        tasks.list_id,
        tasks.completed_day as activity_day,
        0 as created,
        1 as completed
    from tasks
    where tasks.completed_day is not null

),

daily as (

    select
        workspace_id,
        list_id,
        activity_day,
        sum(created) as created_count,
        sum(completed) as completed_count

    from events
    group by 1, 2, 3

),

final as (

    select
        daily.list_id,
        daily.activity_day,
        daily.workspace_id,
        lists.list_name,
        daily.created_count::bigint as created_count,
        daily.completed_count::bigint as completed_count,
        sum(daily.created_count - daily.completed_count) over (
            partition by daily.workspace_id, daily.list_id
            order by daily.activity_day
            rows between unbounded preceding and current row
        )::bigint as open_count

    from daily
    left join {{ ref('lists') }} as lists
        on daily.workspace_id = lists.workspace_id
        and daily.list_id = lists.list_id

)

select * from final
