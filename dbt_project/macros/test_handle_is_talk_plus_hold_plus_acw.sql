{#- Arithmetic invariant of every contact: handle = talk + hold + after-contact work. -#}
{% test handle_is_talk_plus_hold_plus_acw(model) %}
select * from {{ model }}
where handle_seconds <> talk_seconds + hold_seconds + acw_seconds
{% endtest %}
