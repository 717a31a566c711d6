{#
    The latest load of each comment. Replies carry their parent comment's id; the task they belong
    to is resolved through that parent downstream.
#}

with

source as (

    select * from {{ source('clickup', 'comments') }}

),

latest as (

    select distinct on (workspace_id, id) *
    from source
    order by workspace_id asc, id asc, loaded_at desc, partition_date desc nulls last

),

renamed as (

    select

        ----------  ids
        id as comment_id,
        workspace_id,
        case when parent_type = 'task' then parent_id end as task_id,
        case when parent_type = 'comment' then parent_id end as parent_comment_id,
        {{ to_bigint("data->'user'->>'id'") }} as user_id,
        {{ to_bigint("data->'assignee'->>'id'") }} as assignee_user_id,
        {{ to_bigint("data->'assigned_by'->>'id'") }} as assigned_by_user_id,

        ---------- text
        data->>'comment_text' as comment_text,
        data->'user'->>'username' as username,

        ---------- numerics
        coalesce({{ to_bigint("data->>'reply_count'") }}, 0) as reply_count,
        jsonb_array_length({{ json_array("data->'reactions'") }}) as reaction_count,

        ---------- booleans
        parent_type = 'comment' as is_reply,
        coalesce({{ to_boolean("data->>'resolved'") }}, false) as is_resolved,

        ---------- timestamps
        {{ ms_to_timestamp("data->>'date'") }} as commented_at,

        ---------- load
        partition_date,
        loaded_at

    from latest

)

select * from renamed
