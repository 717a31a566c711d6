{#
    Every space ClickUp serves, and the last record of those it no longer serves (deleted, kept in
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
    from {{ source('clickup', 'spaces') }}

    union all

    select
        workspace_id,
        id,
        'workspace'::text as parent_type,
        workspace_id as parent_id,
        evidence as data,
        detected_at as loaded_at,
        2 as record_rank
    from {{ source('clickup', 'deletions') }}
    where object_type = 'space' and jsonb_typeof(evidence) = 'object'

),

latest as (

    select distinct on (workspace_id, id) *
    from source
    order by workspace_id, id, record_rank, loaded_at desc

),

renamed as (

    select

        ----------  ids
        id as space_id,
        workspace_id,

        ---------- text
        data->>'name' as space_name,
        data->>'color' as space_color,
        data->>'avatar' as avatar_url,

        ---------- booleans
        coalesce({{ to_boolean("data->>'private'") }}, false) as is_private,
        coalesce({{ to_boolean("data->>'archived'") }}, false) as is_archived,
        coalesce({{ to_boolean("data->>'multiple_assignees'") }}, false) as has_multiple_assignees,
        {{ to_boolean("data->'features'->'time_tracking'->>'enabled'") }} as has_time_tracking,
        {{ to_boolean("data->'features'->'time_estimates'->>'enabled'") }} as has_time_estimates,
        {{ to_boolean("data->'features'->'points'->>'enabled'") }} as has_points,

        ---------- json
        {{ json_array("data->'statuses'") }} as statuses,

        ---------- load
        loaded_at

    from latest

)

select * from renamed
