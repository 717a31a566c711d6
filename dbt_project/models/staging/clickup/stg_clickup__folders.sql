{#
    Every folder ClickUp serves, and the last record of those it no longer serves (deleted, kept in
    `deletions.evidence`), so marts can keep them, flagged.
#}

with

latest as (

    {{ latest_or_deleted_record(
        'folders', 'folder',
        evidence_parent_type="case when evidence->>'parent_folder' is not null then 'folder' else 'space' end",
        evidence_parent_id="coalesce(evidence->'parent_folder'->>'id', evidence->>'parent_folder', evidence->'space'->>'id')"
    ) }}

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
