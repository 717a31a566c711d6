{#
    The read-only role BI tools use (var `clickup_reader_role`: the environment variable
    CLICKUP_READER_ROLE, default `clickup_reader`): usage on schema `clickup` and select on its tables,
    present and future; nothing on the raw, staging or intermediate schemas. Every build re-asserts
    it, idempotently. A user without CREATEROLE gets a notice instead of a failed build; an
    administrator then runs `create role clickup_reader nologin` once.
#}

{% macro reader_role_name() -%}
    {%- set role = var('clickup_reader_role') | trim -%}
    {%- if not modules.re.match('^[a-z_][a-z0-9_]{0,62}$', role) -%}
        {{ exceptions.raise_compiler_error(
            "clickup_reader_role must be a lower-case Postgres identifier, not '" ~ role ~ "'") }}
    {%- endif -%}
    {{ return(role) }}
{%- endmacro %}


{% macro create_reader_role() %}
    {%- set role = reader_role_name() -%}
    do $$
    begin
        if not exists (select from pg_catalog.pg_roles where rolname = '{{ role }}') then
            create role "{{ role }}" nologin;
        end if;
    exception
        when duplicate_object or unique_violation then null;  -- created concurrently
        when insufficient_privilege then
            raise notice 'cannot create role {{ role }}: ask an administrator to create it';
    end
    $$;
    create schema if not exists clickup;
    do $$
    begin
        if exists (select from pg_catalog.pg_roles where rolname = '{{ role }}') then
            grant usage on schema clickup to "{{ role }}";
            alter default privileges in schema clickup grant select on tables to "{{ role }}";
        end if;
    end
    $$;
{% endmacro %}


{% macro grant_reader_role() %}
    {%- set role = reader_role_name() -%}
    do $$
    declare
        other_schema text;
    begin
        if not exists (select from pg_catalog.pg_roles where rolname = '{{ role }}') then
            return;
        end if;
        grant usage on schema clickup to "{{ role }}";
        grant select on all tables in schema clickup to "{{ role }}";
        foreach other_schema in array array['clickup_raw', 'clickup_staging', 'clickup_intermediate'] loop
            if exists (select from pg_catalog.pg_namespace where nspname = other_schema) then
                execute format('revoke all on all tables in schema %I from %I', other_schema, '{{ role }}');
                execute format('revoke all on schema %I from %I', other_schema, '{{ role }}');
            end if;
        end loop;
    end
    $$;
{% endmacro %}
