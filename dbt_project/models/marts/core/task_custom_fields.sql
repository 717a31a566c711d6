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

-- depends_on: {{ ref('int_tasks_latest') }}

{#
    Custom field values, one row per task and field that has a value. `value_text` is what a person
    reads in ClickUp:

    - drop_down: the option's name (ClickUp sends the option's orderindex, sometimes its id);
    - labels: the option labels, comma-separated in the options' order;
    - users: the usernames, comma-separated; votes: the number of votes;
    - date: the UTC date (YYYY-MM-DD), with the exact time in value_timestamp;
    - checkbox: 'true' or 'false', also in value_boolean;
    - number, formula: the number; currency: the amount with `type_config.precision` decimals
      (default 2) and the currency code, e.g. '1250.50 USD';
    - emoji (rating): 'n/count', e.g. '3/5'; progress: the percentage, e.g. '40%';
    - location: the formatted address; tasks, list_relationship: the names; attachment: titles;
    - text, short_text, url, email, phone and anything else scalar: the value itself.

    `value_number` holds numbers, amounts, ratings, percentages and counts, `value_json` the raw value.
#}

with

field_values as (

    select distinct on (task_id, field_id) *
    from {{ ref('int_task_custom_fields_unnested') }}
    {% if is_incremental() %}
    where {{ is_rebuilt_task('task_id') }}
    {% endif %}
    order by task_id, field_id

),

typed as (

    select
        *,
        case
            when jsonb_typeof(value) in ('string', 'number', 'boolean') then value #>> '{}'
        end as scalar_text,
        {{ json_array("type_config->'options'") }} as options

    from field_values

),

drop_downs as (

    select
        typed.task_id,
        typed.field_id,
        (
            select option->>'name'
            from jsonb_array_elements(typed.options) as option
            where option->>'id' = typed.scalar_text
                or option->>'orderindex' = typed.scalar_text
            order by (option->>'id' = typed.scalar_text) desc
            limit 1
        ) as option_name

    from typed
    where typed.field_type = 'drop_down'

),

labels as (

    select
        typed.task_id,
        typed.field_id,
        string_agg(
            coalesce(option.value->>'label', option.value->>'name', chosen.label_id),
            ', '
            order by {{ to_numeric("option.value->>'orderindex'") }} nulls last, chosen.position
        ) as label_names

    from typed
    cross join
        lateral jsonb_array_elements_text({{ json_array("typed.value") }})
        with ordinality as chosen (label_id, position)
    left join lateral (
        select candidate as value
        from jsonb_array_elements(typed.options) as candidate
        where candidate->>'id' = chosen.label_id
        -- an option id is unique within its field: any first match is the match
        limit 1  -- noqa: AM09
    ) as option on true
    where typed.field_type = 'labels'
    group by typed.task_id, typed.field_id

),

named_items as (

    {# users, tasks, list_relationship, attachment: arrays whose elements have a readable name #}
    select
        typed.task_id,
        typed.field_id,
        string_agg(
            case
                when jsonb_typeof(items.element) = 'object'
                    then coalesce(
                        items.element->>'username',
                        items.element->>'name',
                        items.element->>'title',
                        items.element->>'email',
                        items.element->>'url',
                        items.element->>'id'
                    )
                else items.element #>> '{}'
            end,
            ', '
            order by items.position
        ) as item_names

    from typed
    cross join
        lateral jsonb_array_elements({{ json_array("typed.value") }})
        with ordinality as items (element, position)
    where typed.field_type in ('users', 'tasks', 'list_relationship', 'attachment')
    group by typed.task_id, typed.field_id

),

{# a progress field's percentage: `percent_completed` (or `percent_complete`), else its scalar text #}
{% set progress_text -%}
coalesce(typed.value->>'percent_completed', typed.value->>'percent_complete', typed.scalar_text)
{%- endset %}

resolved as (

    select
        typed.task_id,
        typed.workspace_id,
        typed.field_id,
        typed.field_name,
        typed.field_type,
        typed.value,
        typed.scalar_text,
        typed.type_config,
        drop_downs.option_name,
        labels.label_names,
        named_items.item_names,
        case
            when typed.field_type in ('automatic_progress', 'manual_progress', 'progress')
                then {{ to_numeric(progress_text) }}
        end as progress_value

    from typed
    left join drop_downs
        on typed.task_id = drop_downs.task_id
        and typed.field_id = drop_downs.field_id
    left join labels
        on typed.task_id = labels.task_id
        and typed.field_id = labels.field_id
    left join named_items
        on typed.task_id = named_items.task_id
        and typed.field_id = named_items.field_id

),

valued as (

    select
        *,
        case
            when field_type in ('number', 'currency', 'emoji', 'formula')
                then {{ to_numeric("scalar_text") }}
            when field_type in ('automatic_progress', 'manual_progress', 'progress')
                then trim_scale(
                    case when progress_value <= 1 then progress_value * 100 else progress_value end
                )
            when field_type = 'votes'
                then jsonb_array_length({{ json_array("value") }})
        end as value_number,
        case
            when field_type = 'date' then {{ ms_to_timestamp("scalar_text") }}
        end as value_timestamp,
        case
            when field_type = 'checkbox' then {{ to_boolean("scalar_text") }}
        end as value_boolean

    from resolved

),

final as (

    select
        task_id,
        field_id,
        workspace_id,
        field_name,
        field_type,
        case
            when field_type = 'drop_down' then coalesce(option_name, scalar_text)
            when field_type = 'labels' then label_names
            when field_type in ('users', 'tasks', 'list_relationship', 'attachment') then item_names
            when field_type = 'date'
                then to_char(value_timestamp at time zone 'UTC', 'YYYY-MM-DD')
            when field_type = 'checkbox' then value_boolean::text
            when field_type = 'currency' and value_number is not null
                then concat_ws(
                    ' ',
                    round(
                        value_number,
                        coalesce({{ to_bigint("type_config->>'precision'") }}, 2)::integer
                    )::text,
                    nullif(type_config->>'currency_type', '')
                )
            when field_type = 'emoji' and value_number is not null
                then concat_ws(
                    '/',
                    value_number::text,
                    {{ to_bigint("type_config->>'count'") }}::text
                )
            when field_type in ('automatic_progress', 'manual_progress', 'progress')
                then round(value_number)::text || '%'
            when field_type = 'votes' then value_number::text
            when field_type = 'location'
                then coalesce(value->>'formatted_address', scalar_text)
            when field_type in ('number', 'formula') and value_number is not null
                then value_number::text
            else scalar_text
        end as value_text,
        value_number,
        value_timestamp,
        value_boolean,
        value as value_json

    from valued

)

select * from final
