-- Every target lies between its baseline and the benchmark, and never beyond the best credible
-- peer unless that peer is below the baseline (then the target is the baseline).
select * from {{ ref('bm_targets') }}
where case when direction = 'higher'
           then target_value < baseline_value
                or (target_value > best_credible_value and target_value > baseline_value)
                or target_value > benchmark_value
           else target_value > baseline_value
                or (target_value < best_credible_value and target_value < baseline_value)
                or target_value < benchmark_value
      end
