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

{{ task_people('watchers') }}
