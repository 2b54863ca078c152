-- The interval of every estimate contains it.
select * from {{ ref('bm_scope_estimates') }}
where interval_low > shrunk_value or interval_high < shrunk_value
