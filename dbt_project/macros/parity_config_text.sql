{#- The metric configuration in force, recorded next to the numbers it produced. -#}
{% macro parity_config_text() -%}
fcr_window_days={{ var('fcr_window_days') }};service_level_seconds={{ var('service_level_seconds') }};email_service_level_seconds={{ var('email_service_level_seconds') }};service_level_formula={{ var('service_level_formula') }};short_abandon_seconds={{ var('short_abandon_seconds') }};adherence_grace_minutes={{ var('adherence_grace_minutes') }}
{%- endmacro %}
