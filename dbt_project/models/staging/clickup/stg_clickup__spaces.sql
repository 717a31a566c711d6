{#
    Every space ClickUp serves, and the last record of those it no longer serves (deleted, kept in
    `deletions.evidence`), so marts can keep them, flagged.
#}

with

latest as (

    {{ latest_or_deleted_record(
        'spaces', 'space',
        evidence_parent_type="'workspace'::text",
        evidence_parent_id="workspace_id"
    ) }}

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
