//! The claim period: 60 natural days from the draw date; a last day that falls on a 休市 day
//! or a public holiday moves to the first day after it on which prizes are paid again (lottery
//! stations open every day outside closures, weekends included).

use chrono::{Duration, NaiveDate};

use crate::closures::is_closed;

/// Days from the draw date to the last day to claim.
pub const CLAIM_DAYS: i64 = 60;

/// The last day to claim a prize of a draw held on `draw_date`.
pub fn claim_deadline(draw_date: NaiveDate) -> NaiveDate {
    let mut last = draw_date + Duration::days(CLAIM_DAYS);
    while is_closed(last) {
        last += Duration::days(1);
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn sixty_natural_days() {
        // 2019-03-05 + 60 days = 2019-05-04, the last day of the 劳动节 holiday: moves to
        // 2019-05-05.
        assert_eq!(claim_deadline(d("2019-03-05")), d("2019-05-05"));
        // An ordinary day stays.
        assert_eq!(claim_deadline(d("2019-01-01")), d("2019-03-02"));
        assert!(!is_closed(d("2019-03-02")));
    }

    #[test]
    fn a_deadline_inside_spring_festival_moves_past_it() {
        // 2018-12-06 + 60 = 2019-02-04, the first day of the Spring Festival closure.
        assert_eq!(claim_deadline(d("2018-12-06")), d("2019-02-11"));
        // 2026-08-02 + 60 = 2026-10-01: 国庆 休市 → 2026-10-08.
        assert_eq!(claim_deadline(d("2026-08-02")), d("2026-10-08"));
    }
}
