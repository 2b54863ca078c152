{#- A sum that does not depend on row order: floating-point addition does, so parallel
    aggregation could change the last digit between identical runs. Summing as a wide decimal
    (12 decimal places) is exact, so reruns and incremental builds give identical tables. -#}
{% macro exact_sum(expression) -%}
    cast(sum(cast({{ expression }} as decimal(38, 12))) as double)
{%- endmacro %}
