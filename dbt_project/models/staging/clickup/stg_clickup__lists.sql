{#
    Every list ClickUp serves, and the last record of those it no longer serves (deleted, kept in
    `deletions.evidence`), so marts can keep them, flagged.
#}

with

latest as (

    {{ latest_or_deleted_record(
        'lists', 'list',
        evidence_parent_type="case when coalesce(evidence->'folder'->>'hidden', 'false') = 'true' then 'space' else 'folder' end",
        evidence_parent_id="case when coalesce(evidence->'folder'->>'hidden', 'false') = 'true' then evidence->'space'->>'id' else evidence->'folder'->>'id' end"
    ) }}

),

renamed as (

    select

        ----------  ids
        id as list_id,
        workspace_id,
        case
            when parent_type = 'folder' then parent_id
            when coalesce({{ to_boolean("data->'folder'->>'hidden'") }}, false) then null
            else data->'folder'->>'id'
        end as folder_id,
        coalesce(data->'space'->>'id', case when parent_type = 'space' then parent_id end) as space_id,

        ---------- text
        data->>'name' as list_name,
        data->>'content' as list_description,
        data->'status'->>'status' as list_status,
        data->'priority'->>'priority' as list_priority,

        ---------- numerics
        {{ to_bigint("data->>'orderindex'") }} as list_orderindex,
        {{ to_bigint("data->>'task_count'") }} as api_task_count,

        ---------- booleans
        (
            parent_type = 'space'
            or coalesce({{ to_boolean("data->'folder'->>'hidden'") }}, false)
        ) as is_folderless,
        coalesce({{ to_boolean("data->>'archived'") }}, false) as is_archived,
        coalesce({{ to_boolean("data->>'override_statuses'") }}, false) as has_own_statuses,

        ---------- timestamps
        {{ ms_to_timestamp("data->>'due_date'") }} as due_at,
        {{ ms_to_timestamp("data->>'start_date'") }} as start_at,

        ---------- load
        loaded_at

    from latest

)

select * from renamed
