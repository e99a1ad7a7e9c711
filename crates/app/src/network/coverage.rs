//! Training coverage (培训覆盖率) of a period: the stations with at least one of their people
//! trained in the period, over the stations open during the period.
//!
//! A station counts as open during the period when it was open on at least one of its days:
//! it opened on or before the last day and did not close before the first (a station that
//! opens or closes mid-period counts once, whole; a suspended station is still open — it is
//! in the network and its people are trained). A station is trained when a person of its
//! register attended a session held in the period; only stations open in the period count,
//! so a training at a station before it opened (or after it closed, where the period runs
//! past the closing) still counts if the station was open at some point in the period.
//! Coverage is in permille, rounded half up, so that the report and its hand check agree.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

/// A station's life, as the register has it.
#[derive(Clone, Debug)]
pub struct StationSpan {
    pub code: String,
    pub town: String,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
}

impl StationSpan {
    pub fn open_during(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.opened_on <= to && self.closed_on.is_none_or(|closed| closed >= from)
    }
}

/// Stations open and trained, and the ratio.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    pub stations_open: usize,
    pub stations_trained: usize,
    pub permille: u32,
}

impl Coverage {
    fn of(open: usize, trained: usize) -> Coverage {
        let permille = if open == 0 {
            0
        } else {
            ((trained * 1000 * 2 + open) / (open * 2)) as u32
        };
        Coverage {
            stations_open: open,
            stations_trained: trained,
            permille,
        }
    }

    /// `93.0%`.
    pub fn percent(&self) -> String {
        percent(self.permille)
    }
}

/// Permille as a percentage: 930 → `93.0%`.
pub fn percent(permille: u32) -> String {
    format!("{}.{}%", permille / 10, permille % 10)
}

/// The coverage of the whole district and of each town (by town code), given the stations
/// and the codes of the stations whose people were trained in the period.
pub fn coverage(
    stations: &[StationSpan],
    trained: &BTreeSet<String>,
    from: NaiveDate,
    to: NaiveDate,
) -> (Coverage, BTreeMap<String, Coverage>) {
    let mut towns: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for s in stations.iter().filter(|s| s.open_during(from, to)) {
        let town = towns.entry(s.town.clone()).or_default();
        town.0 += 1;
        town.1 += usize::from(trained.contains(&s.code));
    }
    let (open, done) = towns
        .values()
        .fold((0, 0), |(o, d), (to, td)| (o + to, d + td));
    let by_town = towns
        .into_iter()
        .map(|(t, (o, d))| (t, Coverage::of(o, d)))
        .collect();
    (Coverage::of(open, done), by_town)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn span(code: &str, town: &str, opened: &str, closed: Option<&str>) -> StationSpan {
        StationSpan {
            code: code.into(),
            town: town.into(),
            opened_on: day(opened),
            closed_on: closed.map(day),
        }
    }

    #[test]
    fn stations_opening_or_closing_mid_period_count_once_and_closed_before_do_not() {
        let stations = [
            span("A", "t1", "2010-01-01", None), // open all period
            span("B", "t1", "2019-05-15", None), // opens mid-period
            span("C", "t1", "2010-01-01", Some("2019-03-10")), // closes mid-period
            span("D", "t1", "2010-01-01", Some("2018-12-31")), // closed before
            span("E", "t2", "2019-09-01", None), // opens after
            span("F", "t2", "2012-06-01", Some("2019-01-01")), // closes on the first day
            span("G", "t2", "2012-06-01", None),
        ];
        let trained: BTreeSet<String> = ["B", "C", "D", "E", "G"].map(String::from).into();
        let (all, towns) = coverage(&stations, &trained, day("2019-01-01"), day("2019-08-31"));
        // Open: A B C (t1), F G (t2) = 5; trained among them: B C G = 3 → 600‰.
        assert_eq!(
            all,
            Coverage {
                stations_open: 5,
                stations_trained: 3,
                permille: 600
            }
        );
        // t1: 2 of 3 = 666.67‰ → 667; t2: 1 of 2 = 500‰.
        assert_eq!(towns["t1"].permille, 667);
        assert_eq!(towns["t1"].percent(), "66.7%");
        assert_eq!(
            towns["t2"],
            Coverage {
                stations_open: 2,
                stations_trained: 1,
                permille: 500
            }
        );
    }

    #[test]
    fn no_open_station_is_zero_coverage_not_a_division_by_zero() {
        let (all, towns) = coverage(&[], &BTreeSet::new(), day("2019-01-01"), day("2019-01-31"));
        assert_eq!(all.permille, 0);
        assert!(towns.is_empty());
    }

    #[test]
    fn rounding_is_half_up_in_permille() {
        assert_eq!(Coverage::of(3, 1).permille, 333);
        assert_eq!(Coverage::of(8, 1).permille, 125);
        assert_eq!(Coverage::of(2000, 1).permille, 1); // 0.5‰ rounds up
        assert_eq!(Coverage::of(100, 93).percent(), "93.0%");
    }
}
