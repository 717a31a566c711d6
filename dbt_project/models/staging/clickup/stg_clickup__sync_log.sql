with

source as (

    select * from {{ source('clickup', 'sync_log') }}

),

renamed as (

    select

        ----------  ids
        sync_id,
        workspace_id,
        run_id,

        ---------- text
        entity,
        partition_start,
        partition_end,
        outcome,
        error as error_message,

        ---------- numerics
        rows as row_count,
        requests as request_count,
        rate_limit_waits as rate_limit_wait_count,
        retries as retry_count,

        ---------- timestamps
        started_at,
        finished_at

    from source

)

select * from renamed
