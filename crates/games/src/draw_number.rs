//! `DrawNumber`: a 期号 such as `2019100` — the year, then the draw's sequence in that year.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DrawNumber {
    pub year: u16,
    pub seq: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{0}' is not a draw number (期号): expected 7 digits, the year then the draw, e.g. 2019100"
)]
pub struct BadDrawNumber(pub String);

impl FromStr for DrawNumber {
    type Err = BadDrawNumber;

    fn from_str(s: &str) -> Result<DrawNumber, BadDrawNumber> {
        let t = s.trim();
        let bad = || BadDrawNumber(s.to_string());
        if t.len() != 7 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: u16 = t[..4].parse().map_err(|_| bad())?;
        let seq: u16 = t[4..].parse().map_err(|_| bad())?;
        if !(1987..=2999).contains(&year) || seq == 0 {
            return Err(bad());
        }
        Ok(DrawNumber { year, seq })
    }
}

impl DrawNumber {
    /// The number as written, as an integer: 2026137.
    pub fn as_u32(self) -> u32 {
        u32::from(self.year) * 1000 + u32::from(self.seq)
    }
}

impl fmt::Display for DrawNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:03}", self.year, self.seq)
    }
}

impl TryFrom<String> for DrawNumber {
    type Error = BadDrawNumber;
    fn try_from(s: String) -> Result<DrawNumber, BadDrawNumber> {
        s.parse()
    }
}

impl From<DrawNumber> for String {
    fn from(d: DrawNumber) -> String {
        d.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_orders_and_prints() {
        let a: DrawNumber = "2019100".parse().unwrap();
        let b: DrawNumber = "2026014".parse().unwrap();
        assert!(a < b);
        assert_eq!(a.to_string(), "2019100");
        for bad in ["201910", "2019000", "20191000", "abcdefg", "1900001"] {
            assert!(bad.parse::<DrawNumber>().is_err(), "{bad}");
        }
    }
}
