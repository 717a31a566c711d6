{#
    ClickUp sends numbers and unix-millisecond timestamps as JSON strings (sometimes as numbers, and
    documentation examples hold junk). These casts take the text of a JSON value (`data->>'key'`) and
    return null for anything that is not a well-formed number, so one odd record cannot fail a build.
#}

{% macro ms_to_timestamp(text_expr) -%}
    case
        when ({{ text_expr }}) ~ '^\s*-?[0-9]{1,15}(\.[0-9]*)?\s*$'
            then to_timestamp(trim({{ text_expr }})::numeric / 1000)
    end
{%- endmacro %}


{% macro to_numeric(text_expr) -%}
    case
        when ({{ text_expr }}) ~ '^\s*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]{1,3})?\s*$'
            then trim({{ text_expr }})::numeric
    end
{%- endmacro %}


{% macro to_bigint(text_expr) -%}
    case
        when ({{ text_expr }}) ~ '^\s*-?[0-9]{1,18}(\.0*)?\s*$'
            then trunc(trim({{ text_expr }})::numeric)::bigint
    end
{%- endmacro %}


{% macro to_boolean(text_expr) -%}
    case lower(trim({{ text_expr }}))
        when 'true' then true
        when '1' then true
        when 'false' then false
        when '0' then false
    end
{%- endmacro %}


{# Milliseconds as a bigint, rounding fractional values (estimates are sometimes decimals). #}
{% macro to_ms(text_expr) -%}
    round({{ to_numeric(text_expr) }})::bigint
{%- endmacro %}


{# A JSON array, or an empty one for null, a missing key, or a value of another type. #}
{% macro json_array(jsonb_expr) -%}
    case when jsonb_typeof({{ jsonb_expr }}) = 'array' then {{ jsonb_expr }} else '[]'::jsonb end
{%- endmacro %}
