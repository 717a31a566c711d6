{#
    Settings for the transaction that builds a table (pre-hook of intermediate and mart models):
    more memory for sorts and hashes than PostgreSQL's 4MB default (var `clickup_work_mem`), and lz4
    for large jsonb values where the server has it (PostgreSQL 14+ built with lz4), which writes
    several times faster than the default pglz.
#}

{% macro tune_transaction() %}
    set local work_mem = '{{ var("clickup_work_mem", "64MB") }}';
    do $$
    begin
        set local default_toast_compression = 'lz4';
    exception
        when others then null;
    end
    $$
{% endmacro %}
