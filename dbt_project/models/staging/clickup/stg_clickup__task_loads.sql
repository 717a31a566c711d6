{#
    One row per task with the signature of its stored copies (raw rows and deletion evidence):
    cheap to compute (no JSON is read), so incremental models can tell which tasks changed.
#}

with

source as (

    select
        workspace_id,
        id,
        loaded_at
    from {{ source('clickup', 'tasks') }}

    union all

    select
        workspace_id,
        id,
        detected_at as loaded_at
    from {{ source('clickup', 'deletions') }}
    where object_type = 'task' and jsonb_typeof(evidence) = 'object'

),

renamed as (

    select
        workspace_id,
        id as task_id,
        {{ load_signature('loaded_at') }} as load_signature,
        max(loaded_at) as last_loaded_at

    from source
    group by workspace_id, id

)

select * from renamed
