{#
    Tracked time per member, list and ISO week (weeks start on Monday, UTC, by each entry's start).
    Entries without a task have no list (list_id null). Running timers are not counted.
#}

with

entries as (

    select * from {{ ref('time_entries') }}
    where duration_ms is not null
        and started_at is not null

),

lists as (

    select * from {{ ref('lists') }}

),

weekly as (

    select
        workspace_id,
        user_id,
        list_id,
        date_trunc('week', started_at at time zone 'UTC')::date as week_start,
        max(username) as username,
        count(*) as entry_count,
        count(distinct task_id) as task_count,
        sum(duration_ms)::bigint as tracked_ms,
        coalesce(sum(duration_ms) filter (where is_billable), 0)::bigint as billable_ms

    from entries
    group by 1, 2, 3, 4

),

final as (

    select
        weekly.workspace_id,
        weekly.user_id,
        weekly.list_id,
        weekly.week_start,
        weekly.username,
        lists.list_name,
        weekly.entry_count,
        weekly.task_count,
        weekly.tracked_ms,
        weekly.billable_ms,
        round(weekly.tracked_ms / 3600000.0, 2) as tracked_hours

    from weekly
    left join lists
        on weekly.workspace_id = lists.workspace_id
        and weekly.list_id = lists.list_id

)

select * from final
