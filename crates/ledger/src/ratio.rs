//! `Ratio`: a share of an amount, held in parts per million so that rule data such as
//! `0.5%` or `49%` is exact.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

const PER_MILLION: u32 = 1_000_000;

/// A share between 0% and 100%, in parts per million.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Ratio(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatioError {
    #[error("'{0}' is not a percentage (expected e.g. \"49%\" or \"0.5%\", at most 4 decimals)")]
    Malformed(String),
    #[error("'{0}' is above 100%")]
    AboveWhole(String),
}

impl Ratio {
    pub const ZERO: Ratio = Ratio(0);
    pub const WHOLE: Ratio = Ratio(PER_MILLION);

    pub fn from_per_million(ppm: u32) -> Result<Ratio, RatioError> {
        if ppm > PER_MILLION {
            return Err(RatioError::AboveWhole(format!("{ppm} ppm")));
        }
        Ok(Ratio(ppm))
    }

    /// A whole percentage, e.g. `Ratio::percent(49)`.
    pub const fn percent(pct: u32) -> Ratio {
        assert!(pct <= 100);
        Ratio(pct * 10_000)
    }

    pub const fn per_million(self) -> u32 {
        self.0
    }

    /// Sum of two ratios (e.g. 当期奖金 + 调节基金 = 奖金).
    pub fn checked_add(self, other: Ratio) -> Result<Ratio, RatioError> {
        Ratio::from_per_million(self.0 + other.0)
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / 10_000;
        let frac = self.0 % 10_000;
        if frac == 0 {
            write!(f, "{whole}%")
        } else {
            let digits = format!("{frac:04}");
            write!(f, "{whole}.{}%", digits.trim_end_matches('0'))
        }
    }
}

impl FromStr for Ratio {
    type Err = RatioError;

    fn from_str(s: &str) -> Result<Ratio, RatioError> {
        let malformed = || RatioError::Malformed(s.to_string());
        let body = s.trim().strip_suffix('%').ok_or_else(malformed)?;
        let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || whole.len() > 3 || !all_digits(whole) {
            return Err(malformed());
        }
        if frac.len() > 4 || !all_digits(frac) || (body.contains('.') && frac.is_empty()) {
            return Err(malformed());
        }
        let whole: u32 = whole.parse().map_err(|_| malformed())?;
        let frac: u32 = format!("{frac:0<4}").parse().map_err(|_| malformed())?;
        let ppm = whole * 10_000 + frac;
        if ppm > PER_MILLION {
            return Err(RatioError::AboveWhole(s.to_string()));
        }
        Ok(Ratio(ppm))
    }
}

impl TryFrom<String> for Ratio {
    type Error = RatioError;
    fn try_from(s: String) -> Result<Ratio, RatioError> {
        s.parse()
    }
}

impl From<Ratio> for String {
    fn from(r: Ratio) -> String {
        r.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_percentages() {
        for (text, ppm) in [
            ("49%", 490_000),
            ("0.5%", 5_000),
            ("100%", 1_000_000),
            ("2.25%", 22_500),
        ] {
            let r: Ratio = text.parse().unwrap();
            assert_eq!(r.per_million(), ppm);
            assert_eq!(r.to_string(), text);
        }
        for bad in ["49", "%", "101%", "1.23456%", "-1%", "a%", "1.%"] {
            assert!(bad.parse::<Ratio>().is_err(), "{bad:?} should be refused");
        }
    }
}
