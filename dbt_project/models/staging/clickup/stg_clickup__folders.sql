{#
    Every folder ClickUp serves, and the last record of those it no longer serves (deleted, kept in
    `deletions.evidence`), so marts can keep them, flagged.
#}

with

source as (

    select
        workspace_id,
        id,
        parent_type,
        parent_id,
        data,
        loaded_at,
        1 as record_rank
    from {{ source('clickup', 'folders') }}

    union all

    select
        workspace_id,
        id,
        case when evidence->>'parent_folder' is not null then 'folder' else 'space' end as parent_type,
        coalesce(evidence->'parent_folder'->>'id', evidence->>'parent_folder', evidence->'space'->>'id') as parent_id,
        evidence as data,
        detected_at as loaded_at,
        2 as record_rank
    from {{ source('clickup', 'deletions') }}
    where object_type = 'folder' and jsonb_typeof(evidence) = 'object'

),

latest as (

    select distinct on (workspace_id, id) *
    from source
    order by workspace_id, id, record_rank, loaded_at desc

),

renamed as (

    select

        ----------  ids
        id as folder_id,
        workspace_id,
        coalesce(data->'space'->>'id', case when parent_type = 'space' then parent_id end) as space_id,
        case when parent_type = 'folder' then parent_id end as parent_folder_id,

        ---------- text
        data->>'name' as folder_name,

        ---------- numerics
        {{ to_bigint("data->>'orderindex'") }} as folder_orderindex,
        {{ to_bigint("data->>'task_count'") }} as api_task_count,

        ---------- booleans
        coalesce({{ to_boolean("data->>'hidden'") }}, false) as is_hidden,
        coalesce({{ to_boolean("data->>'archived'") }}, false) as is_archived,
        coalesce({{ to_boolean("data->>'override_statuses'") }}, false) as has_own_statuses,

        ---------- load
        loaded_at

    from latest

)

select * from renamed
