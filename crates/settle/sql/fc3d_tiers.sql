-- 福彩3D: winning bets per tier of one sealed draw, recomputed from the sealed Parquet file
-- alone.
--
-- Parameters: $file    the sealed file (fc3d-<draw>.parquet)
--             $d0 $d1 $d2  the drawn digits in order (百, 十, 个)
--             $digits  the drawn digits as a set: sum of 2^d over the distinct digits
--             $form    3 when exactly two digits are equal (组三 form), 6 when all differ
--                      (组六 form), 0 for a 豹子 (three equal)
-- Columns used (docs/DRAWS.md): play, numbers, multiple. 直选 keeps each position's digits in
-- its own 10 bits (百 0–9, 十 10–19, 个 20–29) and wins one bet when every position holds its
-- digit; 组选3 and 组选6 keep a digit set and win one bet when the draw has their form and all
-- its digits are in the set.
WITH line AS (
    SELECT multiple::BIGINT AS m, play, numbers FROM read_parquet($file)
)
SELECT tier, sum(m)::BIGINT AS bets FROM (
    SELECT 'zx' AS tier, m FROM line
    WHERE starts_with(play, '直选')
      AND (numbers >> $d0) & 1 = 1 AND (numbers >> (10 + $d1)) & 1 = 1 AND (numbers >> (20 + $d2)) & 1 = 1
    UNION ALL
    SELECT 'z3', m FROM line WHERE play = '组选3' AND $form = 3 AND numbers & $digits = $digits
    UNION ALL
    SELECT 'z6', m FROM line WHERE play = '组选6' AND $form = 6 AND numbers & $digits = $digits
)
GROUP BY tier
ORDER BY tier;
