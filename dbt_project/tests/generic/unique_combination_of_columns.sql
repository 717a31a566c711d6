{#
    No two rows share the same values in `combination_of_columns` (nulls count as equal, so a nullable
    part of a grain is still checked).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(',\n    ') }},
    count(*) as rows_with_these_values
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
