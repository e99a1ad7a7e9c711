//! Splitting an amount into parts by ratios, by the largest-remainder method: each part is
//! the exact share rounded down, and the fen left over go one each to the parts with the
//! largest fractional remainders (ties to the earlier part). The parts always add up to the
//! whole and each is within 1分 of its exact share.

use crate::{Money, Ratio};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("cannot split by weights that are all zero")]
    NoWeight,
    #[error("cannot split a negative amount ({0})")]
    Negative(Money),
    #[error("ratios add up to {0}, not 100%")]
    NotWhole(String),
}

/// Split `total` in proportion to `weights`.
pub fn split_by_weights(total: Money, weights: &[u64]) -> Result<Vec<Money>, SplitError> {
    if total.is_negative() {
        return Err(SplitError::Negative(total));
    }
    let weight_sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if weight_sum == 0 {
        return Err(SplitError::NoWeight);
    }
    let total_fen = total.fen() as u128;
    let mut parts: Vec<u128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (index, &w) in weights.iter().enumerate() {
        let exact = total_fen * u128::from(w);
        parts.push(exact / weight_sum);
        remainders.push((exact % weight_sum, index));
    }
    let assigned: u128 = parts.iter().sum();
    let leftover = (total_fen - assigned) as usize;
    debug_assert!(leftover < weights.len().max(1));
    // Largest remainder first; among equal remainders the earlier part wins.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, index) in remainders.iter().take(leftover) {
        parts[index] += 1;
    }
    let result: Vec<Money> = parts
        .into_iter()
        .map(|p| Money::from_fen(p as i64))
        .collect();
    debug_assert_eq!(result.iter().map(|m| m.fen()).sum::<i64>(), total.fen());
    Ok(result)
}

/// Split `total` by ratios that must add up to exactly 100%.
pub fn split_by_ratios(total: Money, ratios: &[Ratio]) -> Result<Vec<Money>, SplitError> {
    let sum: u64 = ratios.iter().map(|r| u64::from(r.per_million())).sum();
    if sum != u64::from(Ratio::WHOLE.per_million()) {
        return Err(SplitError::NotWhole(format!("{} ppm", sum)));
    }
    let weights: Vec<u64> = ratios.iter().map(|r| u64::from(r.per_million())).collect();
    split_by_weights(total, &weights)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_a_sale_by_the_ssq_ratios() {
        let ratios = ["49%", "2%", "13%", "36%"].map(|r| r.parse::<Ratio>().unwrap());
        let parts = split_by_ratios(Money::from_fen(200), &ratios).unwrap();
        assert_eq!(parts, [98, 4, 26, 72].map(Money::from_fen));
    }

    #[test]
    fn leftover_fen_go_to_the_largest_remainders_then_the_earlier_part() {
        // 1分 in three equal parts: the first part gets it.
        let parts = split_by_weights(Money::from_fen(1), &[1, 1, 1]).unwrap();
        assert_eq!(parts, [1, 0, 0].map(Money::from_fen));
        // 10分 by 55/20/25: 5.5 / 2 / 2.5 -> the half goes to the first of the tied halves.
        let parts = split_by_weights(Money::from_fen(10), &[55, 20, 25]).unwrap();
        assert_eq!(parts, [6, 2, 2].map(Money::from_fen));
    }

    #[test]
    fn refuses_bad_inputs() {
        assert_eq!(
            split_by_weights(Money::from_fen(5), &[0, 0]),
            Err(SplitError::NoWeight)
        );
        assert!(split_by_weights(Money::from_fen(-5), &[1]).is_err());
        assert!(split_by_ratios(Money::from_fen(5), &[Ratio::percent(50)]).is_err());
    }

    proptest! {
        #[test]
        fn parts_sum_to_the_whole_and_stay_within_one_fen_of_the_exact_share(
            total in 0i64..=1_000_000_000_000_000,
            weights in proptest::collection::vec(0u64..=1_000_000, 1..12),
        ) {
            prop_assume!(weights.iter().any(|&w| w > 0));
            let parts = split_by_weights(Money::from_fen(total), &weights).unwrap();
            prop_assert_eq!(parts.len(), weights.len());
            prop_assert_eq!(parts.iter().map(|p| p.fen()).sum::<i64>(), total);
            let weight_sum: i128 = weights.iter().map(|&w| i128::from(w)).sum();
            for (part, &w) in parts.iter().zip(&weights) {
                // |part - total·w/W| < 1分  <=>  |part·W - total·w| < W
                let diff = i128::from(part.fen()) * weight_sum - i128::from(total) * i128::from(w);
                prop_assert!(diff.abs() < weight_sum, "part {} off its share", part.fen());
                prop_assert!(part.fen() >= 0);
            }
        }

        #[test]
        fn split_is_deterministic(total in 0i64..1_000_000_000, weights in proptest::collection::vec(1u64..100, 1..6)) {
            let a = split_by_weights(Money::from_fen(total), &weights).unwrap();
            let b = split_by_weights(Money::from_fen(total), &weights).unwrap();
            prop_assert_eq!(a, b);
        }
    }
}
