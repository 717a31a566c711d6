{#
    The latest record of each space, folder or list: the one ClickUp serves now, else the last one it
    served before the object was deleted (kept as `evidence` in clickup_raw.deletions), so marts keep
    deleted objects, flagged. Evidence lacks the parent columns a load sets, so the caller says how to
    read them from it.
#}

{% macro latest_or_deleted_record(entity, object_type, evidence_parent_type, evidence_parent_id) %}

    select distinct on (workspace_id, id) *
    from (

        select
            workspace_id,
            id,
            parent_type,
            parent_id,
            data,
            loaded_at,
            1 as record_rank
        from {{ source('clickup', entity) }}

        union all

        select
            workspace_id,
            id,
            {{ evidence_parent_type }} as parent_type,
            {{ evidence_parent_id }} as parent_id,
            evidence as data,
            detected_at as loaded_at,
            2 as record_rank
        from {{ source('clickup', 'deletions') }}
        where object_type = '{{ object_type }}' and jsonb_typeof(evidence) = 'object'

    ) as records
    order by workspace_id asc, id asc, record_rank asc, loaded_at desc

{% endmacro %}
