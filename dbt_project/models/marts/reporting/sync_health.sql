{#
    Per workspace and raw entity, from the sync log: the last attempt and its outcome, the last
    successful sync (a skip, e.g. a ClickApp that is off, counts as one) with its rows and requests,
    how long ago that was (lag, as of the build), and the last error.
#}

with

sync_log as (

    select * from {{ ref('stg_clickup__sync_log') }}

),

last_attempt as (

    select distinct on (workspace_id, entity) *
    from sync_log
    order by workspace_id asc, entity asc, started_at desc, sync_id desc

),

last_success as (

    select distinct on (workspace_id, entity) *
    from sync_log
    where outcome in ('success', 'skipped')
    order by workspace_id asc, entity asc, coalesce(finished_at, started_at) desc, sync_id desc

),

last_failure as (

    select distinct on (workspace_id, entity) *
    from sync_log
    where outcome = 'failure'
    order by workspace_id asc, entity asc, started_at desc, sync_id desc

),

failures_since_success as (

    select
        sync_log.workspace_id,
        sync_log.entity,
        count(*) as failure_count

    from sync_log
    left join last_success
        on sync_log.workspace_id is not distinct from last_success.workspace_id
        and sync_log.entity = last_success.entity
    where sync_log.outcome = 'failure'
        and (last_success.started_at is null or sync_log.started_at > last_success.started_at)
    group by sync_log.workspace_id, sync_log.entity

),

final as (

    select
        last_attempt.workspace_id,
        last_attempt.entity,
        last_attempt.outcome as last_outcome,
        last_attempt.started_at as last_attempt_at,
        last_success.finished_at as last_success_at,
        last_success.partition_start as last_success_partition_start,
        last_success.partition_end as last_success_partition_end,
        last_success.row_count as last_success_rows,
        last_success.request_count as last_success_requests,
        last_success.rate_limit_wait_count as last_success_rate_limit_waits,
        last_success.retry_count as last_success_retries,
        round(
            (
                extract(epoch from now() - coalesce(last_success.finished_at, last_success.started_at))
                / 3600
            )::numeric,
            2
        ) as lag_hours,
        coalesce(failures_since_success.failure_count, 0) as failures_since_last_success,
        last_failure.started_at as last_error_at,
        last_failure.error_message as last_error

    from last_attempt
    left join last_success
        on last_attempt.workspace_id is not distinct from last_success.workspace_id
        and last_attempt.entity = last_success.entity
    left join last_failure
        on last_attempt.workspace_id is not distinct from last_failure.workspace_id
        and last_attempt.entity = last_failure.entity
    left join failures_since_success
        on last_attempt.workspace_id is not distinct from failures_since_success.workspace_id
        and last_attempt.entity = failures_since_success.entity

)

select * from final
