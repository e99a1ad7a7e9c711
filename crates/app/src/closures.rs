//! The closure calendar (crates/app/data/closures.toml): the national lottery market's 休市
//! days, on which nothing is sold and no game draws, and the public holidays, on which prizes
//! are not paid (a claim deadline that falls on either moves past it).

use chrono::NaiveDate;
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Closure {
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// A 休市: the market is closed (no sales, no draws), not only the claim offices.
    #[serde(default)]
    pub market: bool,
    /// Where the dates come from (a notice, or an assumption to replace).
    pub status: String,
}

impl Closure {
    fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

#[derive(Debug, Deserialize)]
struct ClosureFile {
    closure: Vec<Closure>,
}

/// Every closure in the embedded calendar, in date order.
pub fn closures() -> &'static [Closure] {
    static DATA: std::sync::OnceLock<Vec<Closure>> = std::sync::OnceLock::new();
    DATA.get_or_init(|| {
        toml::from_str::<ClosureFile>(include_str!("../data/closures.toml"))
            .expect("the embedded closure calendar is valid (checked by the tests)")
            .closure
    })
}

/// Whether prizes cannot be claimed on `day` (休市 or public holiday).
pub fn is_closed(day: NaiveDate) -> bool {
    closures().iter().any(|c| c.covers(day))
}

/// The 休市 covering `day`, if the lottery market is closed then.
pub fn market_closure(day: NaiveDate) -> Option<&'static Closure> {
    closures().iter().find(|c| c.market && c.covers(day))
}

/// Refuses a sale dated on a 休市 day, naming the closure.
pub fn check_market_open(day: NaiveDate) -> Result<(), String> {
    match market_closure(day) {
        Some(c) => Err(format!(
            "{day} is in {} ({} to {}): the lottery market is closed, nothing is sold",
            c.name, c.from, c.to
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_calendar_is_ordered_and_does_not_overlap() {
        let all = closures();
        for c in all {
            assert!(c.from <= c.to, "{}: {} after {}", c.name, c.from, c.to);
        }
        for pair in all.windows(2) {
            assert!(
                pair[0].to < pair[1].from,
                "{} overlaps {}",
                pair[0].name,
                pair[1].name
            );
        }
    }

    #[test]
    fn spring_festival_closes_the_market_a_holiday_does_not() {
        assert_eq!(market_closure(d("2019-02-05")).unwrap().name, "春节休市");
        assert!(market_closure(d("2019-05-01")).is_none());
        assert!(is_closed(d("2019-05-01")));
        // 2026 国庆: 10-01…04 休市, the rest of the holiday open for sale.
        assert!(market_closure(d("2026-10-04")).is_some());
        assert!(market_closure(d("2026-10-05")).is_none() && is_closed(d("2026-10-05")));
        assert!(check_market_open(d("2019-02-10"))
            .unwrap_err()
            .contains("春节休市"));
        assert!(check_market_open(d("2019-02-11")).is_ok());
    }
}
