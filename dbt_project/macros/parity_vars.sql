{#- Configuration values that reach SQL are checked against an allow-list first: a code
    (lower-case identifier), an IANA timezone name, or a number. A value that is not one stops
    the compilation with the var's name, instead of being written into a query. -#}

{% macro code_var(name) -%}
    {%- set value = var(name) | string -%}
    {%- if not modules.re.fullmatch('[a-z][a-z0-9_]*', value) -%}
        {{ exceptions.raise_compiler_error(name ~ " must be a lower-case code ([a-z][a-z0-9_]*), got " ~ value) }}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}

{% macro timezone_var(name) -%}
    {%- set value = var(name) | string -%}
    {%- if not modules.re.fullmatch('[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*', value) -%}
        {{ exceptions.raise_compiler_error(name ~ " must be an IANA timezone such as America/New_York, got " ~ value) }}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}

{% macro number_var(name) -%}
    {%- set value = var(name) -%}
    {%- if value is not number or value is sameas true or value is sameas false -%}
        {{ exceptions.raise_compiler_error(name ~ " must be a number, got " ~ value) }}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}
