-- 快乐8: winning bets per (play, hits) of one sealed draw, recomputed from the sealed Parquet
-- file alone, in closed form per line (a 复式 or 胆拖 line is never expanded).
--
-- Parameters: $file  the sealed file (kl8-<draw>.parquet)
--             $lo    the twenty drawn numbers' bitmask, bits 0–63 (number n is bit n)
--             $hi    the same, bits 64–127 (number n is bit n − 64)
-- Columns used (docs/DRAWS.md): numbers and numbers_hi (the numbers, the 拖 of a 胆拖), dan
-- and dan_hi (胆), pick (the play: 选N), multiple. A line of 选N with d 胆 and t 拖 holds
-- C(t, N − d) bets; of those C(拖 hits, k − 胆 hits) · C(拖 misses, N − d − (k − 胆 hits)) have
-- k hits. Every (N, k) is listed as tier x{N}-{k}; the rule version's prize table says which
-- of them pay.
CREATE OR REPLACE MACRO binom(n, k) AS
    CASE WHEN k < 0 OR k > n THEN 0::HUGEINT
         ELSE factorial(n::INTEGER) // (factorial(k::INTEGER) * factorial((n - k)::INTEGER)) END;

WITH line AS (
    SELECT multiple::BIGINT AS m,
           pick             AS spot,
           bit_count(dan & $lo) + bit_count(dan_hi & $hi)         AS dan_hits,
           bit_count(dan) + bit_count(dan_hi)                     AS dan_n,
           bit_count(numbers & $lo) + bit_count(numbers_hi & $hi) AS tuo_hits,
           bit_count(numbers) + bit_count(numbers_hi)             AS tuo_n
    FROM read_parquet($file)
), by_hits AS (
    SELECT l.spot, r.k,
           l.m * binom(l.tuo_hits, r.k - l.dan_hits)
               * binom(l.tuo_n - l.tuo_hits, l.spot - l.dan_n - (r.k - l.dan_hits)) AS bets
    FROM line AS l CROSS JOIN range(0, 11) AS r(k)
    WHERE r.k <= l.spot
)
SELECT 'x' || spot || '-' || k AS tier, sum(bets)::BIGINT AS bets
FROM by_hits
GROUP BY spot, k
HAVING sum(bets) > 0
ORDER BY spot, k;
