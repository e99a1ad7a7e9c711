-- 双色球: winning bets per tier of one sealed draw, recomputed from the sealed Parquet file
-- alone, in closed form per line (a 复式 or 胆拖 line is never expanded).
--
-- Parameters: $file  the sealed file (ssq-<draw>.parquet)
--             $red   the six winning reds as a bitmask: sum of 2^n over the reds n
--             $blue  the winning blue ball (1–16)
-- Columns used (docs/DRAWS.md): numbers (reds, the 拖 of a 胆拖), dan (胆), blue (blue-ball
-- bitmask), multiple. A line with d 胆 and t 拖 holds C(t, 6 − d) red combinations per blue, and
-- of those C(tuo hits, k − dan hits) · C(tuo misses, 6 − d − (k − dan hits)) have k red hits.
-- Tier "fy" (福运奖, 3 reds + no blue) is counted always, and it pays only while the rule's
-- special period is active.
CREATE OR REPLACE MACRO binom(n, k) AS
    CASE WHEN k < 0 OR k > n THEN 0::HUGEINT
         ELSE factorial(n::INTEGER) // (factorial(k::INTEGER) * factorial((n - k)::INTEGER)) END;

WITH line AS (
    SELECT multiple::BIGINT               AS m,
           bit_count(dan & $red)          AS dan_hits,
           bit_count(dan)                 AS dan_n,
           bit_count(numbers & $red)      AS tuo_hits,
           bit_count(numbers)             AS tuo_n,
           (blue >> $blue) & 1            AS blue_hit,
           bit_count(blue)                AS blues
    FROM read_parquet($file)
), single AS (
    -- 单式 (most lines): one bet, k = red hits.
    SELECT tuo_hits AS reds, blue_hit, 1 AS blues, sum(m)::HUGEINT AS bets
    FROM line
    WHERE dan_n = 0 AND tuo_n = 6 AND blues = 1
    GROUP BY ALL
), by_reds AS (
    SELECT * FROM single
    UNION ALL
    -- 复式 and 胆拖: bets with k red hits, for k = 0…6.
    SELECT r.reds, l.blue_hit, l.blues,
           l.m * binom(l.tuo_hits, r.reds - l.dan_hits)
               * binom(l.tuo_n - l.tuo_hits, 6 - l.dan_n - (r.reds - l.dan_hits)) AS bets
    FROM line AS l CROSS JOIN range(0, 7) AS r(reds)
    WHERE NOT (l.dan_n = 0 AND l.tuo_n = 6 AND l.blues = 1)
), by_tier AS (
    SELECT CASE reds WHEN 6 THEN '1' WHEN 5 THEN '3' WHEN 4 THEN '4' WHEN 3 THEN '5' ELSE '6' END AS tier,
           bets * blue_hit AS bets
    FROM by_reds
    UNION ALL
    SELECT CASE reds WHEN 6 THEN '2' WHEN 5 THEN '4' WHEN 4 THEN '5' WHEN 3 THEN 'fy' END AS tier,
           bets * (blues - blue_hit) AS bets
    FROM by_reds
)
SELECT tier, sum(bets)::BIGINT AS bets
FROM by_tier
WHERE tier IS NOT NULL
GROUP BY tier
ORDER BY tier;
