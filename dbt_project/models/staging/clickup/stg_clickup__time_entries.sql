{#
    The latest load of each time entry. `duration` is negative while a timer runs; such entries
    have no duration yet (`is_running`).
#}

with

source as (

    select * from {{ source('clickup', 'time_entries') }}

),

latest as (

    select distinct on (workspace_id, id) *
    from source
    order by workspace_id asc, id asc, loaded_at desc, partition_date desc nulls last

),

renamed as (

    select

        ----------  ids
        id as time_entry_id,
        workspace_id,
        nullif(coalesce(data->'task'->>'id', case when parent_type = 'task' then parent_id end), '')
            as task_id,
        {{ to_bigint("data->'user'->>'id'") }} as user_id,
        nullif(data->'task_location'->>'list_id', '') as list_id,
        nullif(data->'task_location'->>'folder_id', '') as folder_id,
        nullif(data->'task_location'->>'space_id', '') as space_id,

        ---------- text
        data->'user'->>'username' as username,
        data->>'description' as description,
        data->>'source' as entry_source,
        (
            select string_agg(tag->>'name', ', ' order by tag->>'name')
            from jsonb_array_elements({{ json_array("data->'tags'") }}) as tag
        ) as tag_names,

        ---------- numerics
        case
            when {{ to_numeric("data->>'duration'") }} >= 0
                then {{ to_ms("data->>'duration'") }}
        end as duration_ms,

        ---------- booleans
        coalesce({{ to_numeric("data->>'duration'") }} < 0, false) as is_running,
        coalesce({{ to_boolean("data->>'billable'") }}, false) as is_billable,

        ---------- json
        {{ json_array("data->'tags'") }} as tags,

        ---------- timestamps
        {{ ms_to_timestamp("data->>'start'") }} as started_at,
        {{ ms_to_timestamp("data->>'end'") }} as ended_at,
        {{ ms_to_timestamp("data->>'at'") }} as updated_at,

        ---------- load
        partition_date,
        loaded_at

    from latest

)

select * from renamed
