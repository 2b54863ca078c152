-- p25 <= p50 <= p75 <= p90 in every peer group.
select * from {{ ref('bm_peer_percentiles') }}
where not (p25 <= p50 and p50 <= p75 and p75 <= p90)
