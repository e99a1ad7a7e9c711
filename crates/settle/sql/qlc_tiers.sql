-- 七乐彩: winning bets per tier of one sealed draw, recomputed from the sealed Parquet file
-- alone, in closed form per line (a 复式 or 胆拖 line is never expanded).
--
-- Parameters: $file     the sealed file (qlc-<draw>.parquet)
--             $basic    the seven basic numbers as a bitmask: sum of 2^n over them
--             $special  the special number as a bitmask (2^n)
-- Columns used (docs/DRAWS.md): numbers (the numbers, the 拖 of a 胆拖), dan (胆), multiple.
-- A bet is 7 numbers; with d 胆 and t 拖 a line holds C(t, 7 − d) bets, and of those
-- C(拖 basic hits, k − 胆 basic hits) · C(拖 special, s − 胆 special) · C(拖 misses, rest) have k
-- basic hits and s (0 or 1) special. Tiers: 7 → 1; 6 + special → 2; 6 → 3; 5 + special → 4;
-- 5 → 5; 4 + special → 6; 4 → 7.
CREATE OR REPLACE MACRO binom(n, k) AS
    CASE WHEN k < 0 OR k > n THEN 0::HUGEINT
         ELSE factorial(n::INTEGER) // (factorial(k::INTEGER) * factorial((n - k)::INTEGER)) END;

WITH line AS (
    SELECT multiple::BIGINT             AS m,
           bit_count(dan & $basic)      AS dan_hits,
           bit_count(dan & $special)    AS dan_sp,
           bit_count(dan)               AS dan_n,
           bit_count(numbers & $basic)  AS tuo_hits,
           bit_count(numbers & $special) AS tuo_sp,
           bit_count(numbers)           AS tuo_n
    FROM read_parquet($file)
), by_hits AS (
    SELECT r.k, s.sp,
           l.m * binom(l.tuo_hits, r.k - l.dan_hits)
               * binom(l.tuo_sp, s.sp - l.dan_sp)
               * binom(l.tuo_n - l.tuo_hits - l.tuo_sp,
                       7 - l.dan_n - (r.k - l.dan_hits) - (s.sp - l.dan_sp)) AS bets
    FROM line AS l CROSS JOIN range(4, 8) AS r(k) CROSS JOIN range(0, 2) AS s(sp)
)
SELECT CASE WHEN k = 7 THEN '1'
            WHEN k = 6 AND sp = 1 THEN '2' WHEN k = 6 THEN '3'
            WHEN k = 5 AND sp = 1 THEN '4' WHEN k = 5 THEN '5'
            WHEN k = 4 AND sp = 1 THEN '6' ELSE '7' END AS tier,
       sum(bets)::BIGINT AS bets
FROM by_hits
GROUP BY tier
ORDER BY tier;
