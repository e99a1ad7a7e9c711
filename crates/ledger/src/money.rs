//! `Money`: an amount in integer 分 (fen, 1/100 元).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Ratio;

/// Fen per yuan.
pub const FEN_PER_YUAN: i64 = 100;
const FEN_PER_WAN: i64 = 10_000 * FEN_PER_YUAN;
const FEN_PER_YI: i64 = 100_000_000 * FEN_PER_YUAN;

/// An amount of money in 分. Signed, so that balances and deltas use the same type.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("amount overflows the money range")]
    Overflow,
    #[error(
        "'{0}' is not an amount in 元 (expected digits with at most two decimals, e.g. 12.50)"
    )]
    Malformed(String),
}

/// The other side of a posting. Every stored amount came through checked arithmetic, so it is
/// never `i64::MIN`, the one value without a negation.
impl std::ops::Neg for Money {
    type Output = Money;

    fn neg(self) -> Money {
        Money(
            self.0
                .checked_neg()
                .expect("an amount within the money range"),
        )
    }
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_fen(fen: i64) -> Money {
        Money(fen)
    }

    /// Whole 元, for constants and literals; panics (at compile time for constants) when the
    /// amount is beyond the money range. Amounts from input go through `FromStr`.
    pub const fn from_yuan(yuan: i64) -> Money {
        match yuan.checked_mul(FEN_PER_YUAN) {
            Some(fen) => Money(fen),
            None => panic!("amount beyond the money range"),
        }
    }

    pub const fn fen(self) -> i64 {
        self.0
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.0
            .checked_add(other.0)
            .map(Money)
            .ok_or(MoneyError::Overflow)
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.0
            .checked_sub(other.0)
            .map(Money)
            .ok_or(MoneyError::Overflow)
    }

    /// Multiply by a count (bets, winners, multiples).
    pub fn checked_mul(self, count: i64) -> Result<Money, MoneyError> {
        self.0
            .checked_mul(count)
            .map(Money)
            .ok_or(MoneyError::Overflow)
    }

    /// Sum of many amounts, checked.
    pub fn checked_sum<I: IntoIterator<Item = Money>>(items: I) -> Result<Money, MoneyError> {
        items
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }

    /// `self × ratio`, rounded down to the 分 (toward zero). Splits that must add up use
    /// [`crate::split_by_ratios`] instead.
    pub fn mul_ratio_floor(self, ratio: Ratio) -> Money {
        let exact = i128::from(self.0) * i128::from(ratio.per_million()) / 1_000_000;
        // |exact| <= |self| because a ratio is at most 100%.
        Money(exact as i64)
    }

    /// `self × ratio`, rounded half away from zero to the 分 (tax: 20% of 10,000.03元 is
    /// 2,000.01元).
    pub fn mul_ratio_half_up(self, ratio: Ratio) -> Money {
        let scaled = i128::from(self.0) * i128::from(ratio.per_million());
        let half = 500_000 * scaled.signum();
        // |result| <= |self| because a ratio is at most 100%.
        Money(((scaled + half) / 1_000_000) as i64)
    }

    /// Round down to whole 元 (floating prizes are paid in whole 元).
    pub fn floor_to_yuan(self) -> Money {
        Money(self.0.div_euclid(FEN_PER_YUAN) * FEN_PER_YUAN)
    }

    /// `self ÷ n` rounded down to whole 元: the per-bet share of a prize fund.
    pub fn per_bet_floor_yuan(self, bets: u64) -> Money {
        assert!(bets > 0, "per-bet share of zero bets");
        let bets = i128::from(bets);
        let yuan = i128::from(self.0).div_euclid(i128::from(FEN_PER_YUAN) * bets);
        Money((yuan * i128::from(FEN_PER_YUAN)) as i64)
    }

    pub fn min(self, other: Money) -> Money {
        Money(self.0.min(other.0))
    }

    pub fn max(self, other: Money) -> Money {
        Money(self.0.max(other.0))
    }

    /// Display in 元 with two decimals and thousands separators: `1,234.50元`.
    pub fn display_yuan(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let yuan = abs / FEN_PER_YUAN as u64;
        let fen = abs % FEN_PER_YUAN as u64;
        format!("{sign}{}.{fen:02}元", group_thousands(yuan))
    }

    /// The amount in 元 as a plain decimal for files and spreadsheets: `-1234.50`.
    pub fn display_plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let per_yuan = FEN_PER_YUAN as u64;
        format!("{sign}{}.{:02}", abs / per_yuan, abs % per_yuan)
    }

    /// Display in 万元 rounded half-up to `decimals` places: `1063万元`.
    pub fn display_wan(self, decimals: u32) -> String {
        format!("{}万元", scaled_decimal(self.0, FEN_PER_WAN, decimals))
    }

    /// Display in 亿元 rounded half-up to `decimals` places: `2.08亿元`.
    pub fn display_yi(self, decimals: u32) -> String {
        format!("{}亿元", scaled_decimal(self.0, FEN_PER_YI, decimals))
    }
}

/// `value / unit` as a decimal string with `decimals` places, rounded half away from zero,
/// in integer arithmetic only.
fn scaled_decimal(value: i64, unit: i64, decimals: u32) -> String {
    let scale = 10_i128.pow(decimals);
    let num = i128::from(value.unsigned_abs()) * scale;
    let unit = i128::from(unit);
    let rounded = (num + unit / 2) / unit;
    let sign = if value < 0 && rounded != 0 { "-" } else { "" };
    let whole = rounded / scale;
    if decimals == 0 {
        return format!("{sign}{whole}");
    }
    let frac = rounded % scale;
    format!("{sign}{whole}.{frac:0width$}", width = decimals as usize)
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_yuan())
    }
}

/// Parses an amount written in 元: `12`, `12.5`, `12.50`, `-3.01`. Thousands separators
/// (`,`) are not accepted: they are ambiguous with the selection syntax's separators.
impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Money, MoneyError> {
        let malformed = || MoneyError::Malformed(s.to_string());
        let text = s.trim();
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(frac) || frac.len() > 2 {
            return Err(malformed());
        }
        if body.contains('.') && frac.is_empty() {
            return Err(malformed());
        }
        let yuan: i64 = whole.parse().map_err(|_| MoneyError::Overflow)?;
        let fen: i64 = format!("{frac:0<2}").parse().map_err(|_| malformed())?;
        let magnitude = yuan
            .checked_mul(FEN_PER_YUAN)
            .and_then(|v| v.checked_add(fen))
            .ok_or(MoneyError::Overflow)?;
        Ok(Money(if negative { -magnitude } else { magnitude }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ratio_rounds_half_away_from_zero() {
        let twenty = Ratio::percent(20);
        assert_eq!(
            Money::from_fen(1_000_003).mul_ratio_half_up(twenty).fen(),
            200_001
        );
        assert_eq!(
            Money::from_fen(1_000_002).mul_ratio_half_up(twenty).fen(),
            200_000
        );
        assert_eq!(
            Money::from_fen(-1_000_003).mul_ratio_half_up(twenty).fen(),
            -200_001
        );
        assert_eq!(
            Money::from_fen(5)
                .mul_ratio_half_up(Ratio::percent(10))
                .fen(),
            1
        );
    }

    #[test]
    fn parses_yuan_with_up_to_two_decimals() {
        assert_eq!("12".parse::<Money>().unwrap(), Money::from_fen(1200));
        assert_eq!("12.5".parse::<Money>().unwrap(), Money::from_fen(1250));
        assert_eq!(
            "187651551.50".parse::<Money>().unwrap().fen(),
            18_765_155_150
        );
        assert_eq!("-0.01".parse::<Money>().unwrap(), Money::from_fen(-1));
        for bad in ["", "1.", ".5", "1.234", "1,000", "abc", "1e5", "--1"] {
            assert!(bad.parse::<Money>().is_err(), "{bad:?} should be refused");
        }
        assert_eq!(
            "99999999999999999999".parse::<Money>(),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn displays_yuan_wan_and_yi() {
        assert_eq!(
            Money::from_fen(123_456_789).display_yuan(),
            "1,234,567.89元"
        );
        assert_eq!(Money::from_fen(-5).display_yuan(), "-0.05元");
        assert_eq!(Money::from_yuan(10_630_000).display_wan(0), "1063万元");
        assert_eq!(Money::from_yuan(208_000_000).display_yi(2), "2.08亿元");
        // 1.0206亿 rounds to 1.02 at two places; 1.025亿 would round up.
        assert_eq!(Money::from_yuan(102_060_000).display_yi(2), "1.02亿元");
        assert_eq!(Money::from_yuan(102_500_000).display_yi(2), "1.03亿元");
        assert_eq!(Money::from_yuan(-150_000).display_wan(1), "-15.0万元");
    }

    #[test]
    fn checked_arithmetic_reports_overflow() {
        let max = Money::from_fen(i64::MAX);
        assert_eq!(
            max.checked_add(Money::from_fen(1)),
            Err(MoneyError::Overflow)
        );
        assert_eq!(max.checked_mul(2), Err(MoneyError::Overflow));
        assert_eq!(
            Money::checked_sum([Money::from_fen(1), Money::from_fen(2)]),
            Ok(Money::from_fen(3))
        );
    }

    #[test]
    fn per_bet_share_is_floored_to_whole_yuan() {
        // 20% of 87,393,066.50元 over 9 bets = 1,942,068.14元 -> 1,942,068元 (draw 2023075).
        let part_b = Money::from_fen(1_747_861_330);
        assert_eq!(part_b.per_bet_floor_yuan(9), Money::from_yuan(1_942_068));
        assert_eq!(Money::from_fen(199).floor_to_yuan(), Money::from_fen(100));
    }
}
