{#
    The latest version of each task. A task is stored in the partition of the day it was last
    updated; after it changes again, an older copy can stay behind in an earlier day (or come back
    when an old day is re-synced), so the newest `date_updated` wins, then the latest load.
    Deleted tasks whose rows a re-sync removed live on through the last record the deletion sweep
    kept (`deletions.evidence`).

    Each record is decompressed once (`detoasted`): reading dozens of keys straight from a large
    stored jsonb value would decompress it again for every key.
#}

with

source as (

    select
        workspace_id,
        id,
        parent_id,
        partition_date,
        data,
        loaded_at,
        1 as record_rank
    from {{ source('clickup', 'tasks') }}

    union all

    select
        workspace_id,
        id,
        evidence->'list'->>'id' as parent_id,
        null::date as partition_date,
        evidence as data,
        detected_at as loaded_at,
        2 as record_rank
    from {{ source('clickup', 'deletions') }}
    where object_type = 'task' and jsonb_typeof(evidence) = 'object'

),

versions as (

    select
        *,
        count(*) over by_task as version_count,
        {{ load_signature('loaded_at', over='over by_task') }} as load_signature
    from source
    window by_task as (partition by workspace_id, id)

),

latest as (

    {# only tasks stored more than once need their date_updated read #}
    select distinct on (workspace_id, id) *
    from versions
    order by
        workspace_id asc,
        id asc,
        case
            when version_count > 1 then {{ to_numeric("data->>'date_updated'") }}
        end desc nulls last,
        record_rank asc,
        loaded_at desc

),

detoasted as (

    {#
        `|| '{}'` hands on a decompressed copy, once per task (`offset 0` keeps the planner from
        inlining it into every key read); filters on the task id still reach the raw table.
    #}
    select
        latest.*,
        decompressed.record
    from latest
    cross join lateral (  -- noqa: ST05
        select latest.data || '{}'::jsonb as record
        offset 0  -- noqa: PRS
    ) as decompressed

),

renamed as (

    select

        ----------  ids
        id as task_id,
        workspace_id,
        record->>'custom_id' as custom_id,
        {{ to_bigint("record->>'custom_item_id'") }} as custom_item_id,
        coalesce(record->'list'->>'id', parent_id) as list_id,
        case
            when coalesce({{ to_boolean("coalesce(record->'folder', record->'project')->>'hidden'") }}, false)
                then null
            else coalesce(record->'folder', record->'project')->>'id'
        end as folder_id,
        record->'space'->>'id' as space_id,
        nullif(record->>'parent', '') as parent_task_id,
        nullif(record->>'top_level_parent', '') as top_level_parent_id,
        {{ to_bigint("record->'creator'->>'id'") }} as creator_id,

        ---------- text
        record->>'name' as task_name,
        coalesce(
            nullif(record->>'markdown_description', ''),
            nullif(record->>'text_content', ''),
            nullif(record->>'description', '')
        ) as description,
        record->'status'->>'status' as status,
        lower(record->'status'->>'type') as status_type,
        record->'status'->>'color' as status_color,
        case jsonb_typeof(record->'priority')
            when 'object' then lower(record->'priority'->>'priority')
            when 'number'
                then case record->>'priority'
                    when '1' then 'urgent'
                    when '2' then 'high'
                    when '3' then 'normal'
                    when '4' then 'low'
                end
            when 'string' then lower(record->>'priority')
        end as priority,
        record->>'url' as url,

        ---------- numerics
        case jsonb_typeof(record->'priority')
            when 'object'
                then coalesce(
                    {{ to_bigint("record->'priority'->>'id'") }},
                    {{ to_bigint("record->'priority'->>'orderindex'") }}
                )::integer
            when 'number' then {{ to_bigint("record->>'priority'") }}::integer
        end as priority_rank,
        {{ to_bigint("record->'status'->>'orderindex'") }}::integer as status_orderindex,
        {{ to_numeric("record->>'orderindex'") }} as task_orderindex,
        {{ to_ms("record->>'time_estimate'") }} as time_estimate_ms,
        {{ to_ms("record->>'time_spent'") }} as time_spent_ms,
        {{ to_numeric("record->>'points'") }} as points,

        ---------- booleans
        coalesce({{ to_boolean("record->>'archived'") }}, false) as is_archived,

        ---------- json
        {{ json_array("record->'assignees'") }} as assignees,
        {{ json_array("record->'group_assignees'") }} as group_assignees,
        {{ json_array("record->'watchers'") }} as watchers,
        {{ json_array("record->'tags'") }} as tags,
        {{ json_array("record->'checklists'") }} as checklists,
        {{ json_array("record->'custom_fields'") }} as custom_fields,
        {{ json_array("record->'dependencies'") }} as dependencies,
        {{ json_array("record->'linked_tasks'") }} as linked_tasks,
        {{ json_array("record->'locations'") }} as locations,

        ---------- timestamps
        {{ ms_to_timestamp("record->>'date_created'") }} as created_at,
        {{ ms_to_timestamp("record->>'date_updated'") }} as updated_at,
        {{ ms_to_timestamp("record->>'date_closed'") }} as closed_at,
        {{ ms_to_timestamp("record->>'date_done'") }} as done_at,
        {{ ms_to_timestamp("record->>'due_date'") }} as due_at,
        {{ ms_to_timestamp("record->>'start_date'") }} as start_at,

        ---------- load
        partition_date,
        loaded_at,
        load_signature

    from detoasted

)

select * from renamed
