{{
    config(
        materialized='incremental',
        unique_key='task_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{{ drop_columns_outside_contract() }}",
            "{{ delete_rebuilt_task_rows() }}",
        ],
        post_hook=[
            "{{ delete_vanished_task_rows() }}",
            "{{ record_task_mart_build() }}",
        ],
        indexes=[{'columns': ['task_id']}],
    )
}}

{#
    One row per checklist item, nested items included (`parent_item_id` points at the item they are
    nested under). Checklists come embedded in the task; ClickUp has no endpoint to read them.
#}

with recursive

tasks as (

    select * from {{ ref('int_tasks_latest') }}
    {% if is_incremental() %}
    where {{ is_rebuilt_task('task_id') }}
    {% endif %}

),

checklists as (

    select
        tasks.task_id,
        tasks.workspace_id,
        checklist->>'id' as checklist_id,
        checklist->>'name' as checklist_name,
        checklist

    from tasks
    cross join lateral jsonb_array_elements(tasks.checklists) as checklist
    where jsonb_typeof(checklist) = 'object'

),

items as (

    select
        checklists.task_id,
        checklists.workspace_id,
        checklists.checklist_id,
        checklists.checklist_name,
        item,
        nullif(item->>'parent', '') as parent_item_id,
        1 as depth

    from checklists
    cross join lateral jsonb_array_elements({{ json_array("checklists.checklist->'items'") }}) as item
    where jsonb_typeof(item) = 'object'

    union all

    select
        items.task_id,
        items.workspace_id,
        items.checklist_id,
        items.checklist_name,
        child,
        coalesce(nullif(child->>'parent', ''), items.item->>'id') as parent_item_id,
        items.depth + 1 as depth

    from items
    cross join lateral jsonb_array_elements({{ json_array("items.item->'children'") }}) as child
    where jsonb_typeof(child) = 'object'
        and items.depth < 10

),

deduplicated as (

    select distinct on (item->>'id') *
    from items
    where item->>'id' is not null
    order by item->>'id', depth

),

final as (

    select
        item->>'id' as checklist_item_id,
        task_id,
        workspace_id,
        checklist_id,
        checklist_name,
        parent_item_id,
        item->>'name' as item_name,
        {{ to_bigint("item->>'orderindex'") }}::integer as item_orderindex,
        coalesce({{ to_boolean("item->>'resolved'") }}, false) as is_resolved,
        {{ to_bigint("item->'assignee'->>'id'") }} as assignee_user_id,
        {{ ms_to_timestamp("item->>'date_created'") }} as created_at

    from deduplicated

)

select * from final
