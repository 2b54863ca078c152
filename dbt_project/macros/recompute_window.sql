{#-
  The dates an incremental run rebuilds. Dagster passes the partition window it runs as the vars
  window_start and window_end (ISO dates, end exclusive). A day's contacts change the FCR flags
  of the contacts up to fcr_window_days around them and late surveys land on earlier contacts,
  so the window is widened by incremental_lookback_days on both sides. Without a window every
  date is rebuilt, so a plain `dbt build` stays complete and idempotent.

  The bounds are computed here and rendered as ISO date literals, so the SQL stays portable.
-#}

{% macro recompute_bounds() %}
    {%- set start = var('window_start', none) -%}
    {%- set end = var('window_end', none) -%}
    {%- if start is none and end is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set lookback = var('incremental_lookback_days') | int -%}
    {%- if lookback < var('fcr_window_days') | int + 1 -%}
        {{ exceptions.raise_compiler_error(
            "incremental_lookback_days (" ~ lookback ~ ") must be at least fcr_window_days + 1 ("
            ~ (var('fcr_window_days') | int + 1) ~ "): a day changes the FCR flags around it") }}
    {%- endif -%}
    {%- set first = _parity_iso_date('window_start', start) -%}
    {%- set after = _parity_iso_date('window_end', end) -%}
    {%- if after <= first -%}
        {{ exceptions.raise_compiler_error(
            "window_end (" ~ end ~ ") must be after window_start (" ~ start ~ ")") }}
    {%- endif -%}
    {%- set days = modules.datetime.timedelta(days=lookback) -%}
    {{ return((first - days, after + days)) }}
{% endmacro %}


{% macro _parity_iso_date(name, value) %}
    {%- if value is none or not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', value | string) -%}
        {{ exceptions.raise_compiler_error(
            name ~ " must be an ISO date YYYY-MM-DD, got " ~ value) }}
    {%- endif -%}
    {{ return(modules.datetime.date.fromisoformat(value | string)) }}
{% endmacro %}


{#- True for the rows whose date the run rebuilds. -#}
{% macro in_recompute_window(date_column) %}
    {%- set bounds = recompute_bounds() -%}
    {%- if bounds is none -%}
        true
    {%- else -%}
        ({{ date_column }} >= date '{{ bounds[0] }}' and {{ date_column }} < date '{{ bounds[1] }}')
    {%- endif -%}
{% endmacro %}


{#- True for the rows of a period (day, ISO week, month) that covers a rebuilt date: every
    period starting on or after the earliest week or month start touching the window. -#}
{% macro in_recompute_periods(period_column) %}
    {%- set bounds = recompute_bounds() -%}
    {%- if bounds is none -%}
        true
    {%- else -%}
        {%- set low = bounds[0] -%}
        {%- set week_start = low - modules.datetime.timedelta(days=low.weekday()) -%}
        {%- set month_start = low.replace(day=1) -%}
        ({{ period_column }} >= date '{{ [week_start, month_start] | min }}')
    {%- endif -%}
{% endmacro %}


{#- Interval rows (schedule segments, state segments) that may fall on a rebuilt date: a margin
    of two days covers any site timezone and a segment crossing midnight. -#}
{% macro overlaps_recompute_window(start_column, end_column) %}
    {%- set bounds = recompute_bounds() -%}
    {%- if bounds is none -%}
        true
    {%- else -%}
        {%- set margin = modules.datetime.timedelta(days=2) -%}
        ({{ end_column }} > timestamp with time zone '{{ bounds[0] - margin }} 00:00:00+00'
         and {{ start_column }} < timestamp with time zone '{{ bounds[1] + margin }} 00:00:00+00')
    {%- endif -%}
{% endmacro %}


{#- An incremental model's pre-hook: remove the rows the run rebuilds (the whole table when no
    window is given), so reruns and corrections replace rather than duplicate. The delete and the
    insert run in the model's transaction. -#}
{% macro delete_recompute_window(predicate) %}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ predicate }}
    {%- else -%}
        select 1
    {%- endif -%}
{% endmacro %}


{#- The metric rows a run rebuilds: those of its window, and every row of the metrics the
    catalogue marks whole_history (cohort metrics such as attrition or time to proficiency,
    which a new day can change for any date). -#}
{% macro metric_rows_rebuilt(window_predicate) %}
    ({{ window_predicate }} or metric_name in (
        select metric_name from {{ ref('metric_catalogue') }} where refresh = 'whole_history'))
{%- endmacro %}

