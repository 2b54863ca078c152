{#- The metric configuration in force, recorded next to the numbers it produced. -#}
{% macro parity_config_text() -%}
fcr_window_days={{ number_var('fcr_window_days') }};service_level_seconds={{ number_var('service_level_seconds') }};email_service_level_seconds={{ number_var('email_service_level_seconds') }};service_level_formula={{ var('service_level_formula') }};short_abandon_seconds={{ number_var('short_abandon_seconds') }};adherence_grace_minutes={{ number_var('adherence_grace_minutes') }}
{%- endmacro %}
