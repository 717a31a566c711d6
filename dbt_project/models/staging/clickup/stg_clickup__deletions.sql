with

source as (

    select * from {{ source('clickup', 'deletions') }}

),

renamed as (

    select

        ----------  ids
        id as object_id,
        workspace_id,
        object_type,
        run_id,

        ---------- text
        reason as deleted_reason,

        ---------- timestamps
        detected_at as deleted_detected_at

    from source

)

select * from renamed
