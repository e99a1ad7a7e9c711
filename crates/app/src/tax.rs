//! Personal income tax on prizes (偶然所得, docs/RULES.md §5.1): 20% of the whole 中奖收入 when
//! it exceeds 10,000元 (10,000元 exactly is exempt). What one 中奖收入 is changed on
//! 2024-09-01: before, the prize of one bet; from then, everything one person wins in the
//! same draw of the same game. Pure arithmetic in 分.

use chrono::NaiveDate;
use fucai_ledger::{Money, MoneyError, Ratio};

/// Above this one 中奖收入 is taxed in full.
pub const TAX_FREE: Money = Money::from_yuan(10_000);
/// Above this the winner must show a 身份证 (real-name redemption).
pub const REAL_NAME: Money = Money::from_yuan(3_000);
/// The rate of 偶然所得.
const RATE: Ratio = Ratio::percent(20);

/// The first draw date of the per-person-per-draw rule (四部门公告 2024).
pub fn per_draw_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 9, 1).expect("valid date")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaxRegime {
    /// Draws before 2024-09-01: each bet's prize is one 中奖收入.
    PerBet,
    /// Draws from 2024-09-01: one person's winnings in one draw of one game are one 中奖收入.
    PerPersonPerDraw,
}

pub fn regime(draw_date: NaiveDate) -> TaxRegime {
    if draw_date < per_draw_from() {
        TaxRegime::PerBet
    } else {
        TaxRegime::PerPersonPerDraw
    }
}

/// Tax on one 中奖收入: 20% of all of it above the threshold, rounded to the 分 (half up).
pub fn tax_on(income: Money) -> Money {
    if income > TAX_FREE {
        income.mul_ratio_half_up(RATE)
    } else {
        Money::ZERO
    }
}

/// Tax withheld from a ticket's prize in one draw under the per-bet rule: `bets` are the
/// winning bets per tier as (count, per-bet prize).
fn per_bet_tax(bets: &[(i64, Money)]) -> Result<Money, MoneyError> {
    Money::checked_sum(
        bets.iter()
            .map(|&(n, prize)| tax_on(prize).checked_mul(n))
            .collect::<Result<Vec<_>, _>>()?,
    )
}

/// Tax withheld now under the per-person rule: the whole draw's winnings of the person
/// (`earlier_gross` already paid, with `earlier_tax` withheld, plus `gross` now) are one
/// 中奖收入. What is withheld never exceeds what is paid now.
fn per_person_tax(
    earlier_gross: Money,
    earlier_tax: Money,
    gross: Money,
) -> Result<Money, MoneyError> {
    let due = tax_on(earlier_gross.checked_add(gross)?).checked_sub(earlier_tax)?;
    Ok(due.max(Money::ZERO).min(gross))
}

/// What to withhold from `gross` paid now, by the regime of the draw: `earlier_*` are this
/// person's earlier claims in the same draw (used from 2024-09-01), `bets` the winning bets as
/// (count, per-bet prize) (used before).
pub fn withholding(
    regime: TaxRegime,
    earlier_gross: Money,
    earlier_tax: Money,
    gross: Money,
    bets: &[(i64, Money)],
) -> Result<Money, MoneyError> {
    match regime {
        TaxRegime::PerPersonPerDraw => per_person_tax(earlier_gross, earlier_tax, gross),
        TaxRegime::PerBet => Ok(per_bet_tax(bets)?.min(gross)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YUAN: i64 = 100;

    fn m(fen: i64) -> Money {
        Money::from_fen(fen)
    }

    fn w(
        regime: TaxRegime,
        earlier_gross: i64,
        earlier_tax: i64,
        gross: i64,
        bets: &[(i64, i64)],
    ) -> i64 {
        let bets: Vec<(i64, Money)> = bets.iter().map(|&(n, p)| (n, m(p))).collect();
        withholding(regime, m(earlier_gross), m(earlier_tax), m(gross), &bets)
            .unwrap()
            .fen()
    }

    #[test]
    fn ten_thousand_exactly_is_free_one_fen_more_is_not() {
        assert_eq!(tax_on(m(10_000 * YUAN)).fen(), 0);
        assert_eq!(tax_on(m(10_000 * YUAN + 1)).fen(), 200_000);
        assert_eq!(tax_on(m(10_001 * YUAN)).fen(), 200_020);
    }

    #[test]
    fn the_regime_changes_on_2024_09_01() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(regime(d("2024-08-31")), TaxRegime::PerBet);
        assert_eq!(regime(d("2024-09-01")), TaxRegime::PerPersonPerDraw);
    }

    #[test]
    fn per_bet_taxes_only_bets_above_the_threshold() {
        // Two 三等奖 of 3,000元 and one bet of 10,001元: only the last is taxed.
        assert_eq!(
            per_bet_tax(&[(2, m(3_000 * YUAN)), (1, m(10_001 * YUAN))])
                .unwrap()
                .fen(),
            200_020
        );
        assert_eq!(per_bet_tax(&[(5, m(10_000 * YUAN))]).unwrap().fen(), 0);
    }

    /// The boundary and one person's two tickets, under both regimes.
    #[test]
    fn both_regimes_on_the_boundary_and_with_two_tickets() {
        for regime in [TaxRegime::PerBet, TaxRegime::PerPersonPerDraw] {
            // One bet of exactly 10,000元: free; of 10,001元: 20% of it all.
            let exact = 10_000 * YUAN;
            assert_eq!(w(regime, 0, 0, exact, &[(1, exact)]), 0, "{regime:?}");
            let above = 10_001 * YUAN;
            assert_eq!(w(regime, 0, 0, above, &[(1, above)]), 200_020, "{regime:?}");
        }
        // Two tickets of 6,000元 each (two 3,000元 bets each) for one person in one draw.
        let ticket = 6_000 * YUAN;
        let bets = [(2, 3_000 * YUAN)];
        let first = w(TaxRegime::PerBet, 0, 0, ticket, &bets);
        let second = w(TaxRegime::PerBet, ticket, first, ticket, &bets);
        assert_eq!(
            (first, second),
            (0, 0),
            "before 2024-09: each bet is its own 中奖收入"
        );
        let first = w(TaxRegime::PerPersonPerDraw, 0, 0, ticket, &bets);
        let second = w(TaxRegime::PerPersonPerDraw, ticket, first, ticket, &bets);
        assert_eq!(
            (first, second),
            (0, 2_400 * YUAN),
            "from 2024-09: 12,000元 together"
        );
    }

    #[test]
    fn per_person_adds_up_the_draw() {
        // 6,000 + 6,000: the first is free, the second pays the tax on 12,000.
        assert_eq!(
            per_person_tax(m(0), m(0), m(6_000 * YUAN)).unwrap().fen(),
            0
        );
        assert_eq!(
            per_person_tax(m(6_000 * YUAN), m(0), m(6_000 * YUAN))
                .unwrap()
                .fen(),
            2_400 * YUAN
        );
        // Never more than is paid now.
        assert_eq!(
            per_person_tax(m(9_000 * YUAN), m(0), m(1_500 * YUAN))
                .unwrap()
                .fen(),
            1_500 * YUAN
        );
    }
}
