{#
    One row per task and custom field that holds a value. ClickUp omits `value` for unset fields;
    empty strings and empty arrays count as unset too. The field's name, type and `type_config`
    (drop-down options, currency, rating count) come from the task's own copy of the field, which
    ClickUp sends with every task, and fall back to the stored definition.
#}

with

tasks as (

    select * from {{ ref('int_tasks_latest') }}

),

definitions as (

    select * from {{ ref('stg_clickup__custom_fields') }}

),

unnested as (

    select
        tasks.task_id,
        tasks.workspace_id,
        field->>'id' as field_id,
        field->>'name' as field_name,
        field->>'type' as field_type,
        case
            when jsonb_typeof(field->'type_config') = 'object' and field->'type_config' <> '{}'::jsonb
                then field->'type_config'
        end as type_config,
        field->'value' as value

    from tasks
    cross join lateral jsonb_array_elements(tasks.custom_fields) as field
    where jsonb_typeof(field) = 'object'
        and field->>'id' is not null
        and jsonb_typeof(field->'value') is not null
        and jsonb_typeof(field->'value') <> 'null'
        and field->'value' not in ('""'::jsonb, '[]'::jsonb)

),

final as (

    select
        unnested.task_id,
        unnested.workspace_id,
        unnested.field_id,
        coalesce(unnested.field_name, definitions.field_name) as field_name,
        coalesce(unnested.field_type, definitions.field_type) as field_type,
        coalesce(unnested.type_config, definitions.type_config, '{}'::jsonb) as type_config,
        unnested.value

    from unnested
    left join definitions
        on unnested.workspace_id = definitions.workspace_id
        and unnested.field_id = definitions.field_id

)

select * from final
