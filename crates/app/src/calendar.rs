//! The draw calendar: which days each game draws, its 期号, and each draw's sales window
//! (opens 21:30 after the previous draw, closes 20:00 on draw day, Beijing time). No game draws
//! on a 休市 day (crates/app/data/closures.toml) and 期号 do not count them; the first draw
//! after a closure opens for sale when the market reopens (00:00 on the first open day).

use chrono::{Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Weekday};
use fucai_games::{DrawNumber, Game};

use crate::closures::market_closure;

/// Beijing time, UTC+8, no daylight saving.
pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// The Beijing calendar date of a Unix-millisecond instant.
pub fn beijing_date(ms: i64) -> NaiveDate {
    beijing()
        .timestamp_millis_opt(ms)
        .single()
        .expect("a fixed offset maps every instant")
        .date_naive()
}

/// A Unix-millisecond instant in RFC 3339, Beijing time ("2026-11-24T20:00:00+08:00").
pub fn beijing_time(ms: i64) -> String {
    beijing()
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| t.to_rfc3339())
        .unwrap_or_default()
}

/// The Unix-millisecond instant a Beijing calendar day starts.
pub fn beijing_day_start_ms(day: NaiveDate) -> i64 {
    beijing()
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .single()
        .expect("a fixed offset maps every local time")
        .timestamp_millis()
}

const SALES_CLOSE: (u32, u32) = (20, 0);
const SALES_REOPEN: (u32, u32) = (21, 30);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawSchedule {
    pub game: Game,
    pub number: DrawNumber,
    pub date: NaiveDate,
    pub opens_at_ms: i64,
    pub closes_at_ms: i64,
    pub draw_at_ms: i64,
}

/// Whether `game` draws on `date`: its weekday, and the market open.
fn draws_on(game: Game, date: NaiveDate) -> bool {
    let weekday = match game {
        Game::Ssq => matches!(date.weekday(), Weekday::Tue | Weekday::Thu | Weekday::Sun),
        Game::Qlc => matches!(date.weekday(), Weekday::Mon | Weekday::Wed | Weekday::Fri),
        Game::Fc3d | Game::Kl8 => true,
    };
    weekday && market_closure(date).is_none()
}

/// The longest run of days without a draw (a weekly game's gap across the longest 休市).
const LONGEST_GAP_DAYS: i64 = 21;

fn draw_time(game: Game) -> (u32, u32) {
    match game {
        Game::Kl8 => (21, 30),
        _ => (21, 15),
    }
}

fn at(date: NaiveDate, (h, m): (u32, u32)) -> i64 {
    let local = date.and_time(NaiveTime::from_hms_opt(h, m, 0).expect("valid time"));
    beijing()
        .from_local_datetime(&local)
        .single()
        .expect("fixed offset")
        .timestamp_millis()
}

/// The draw number of a draw day: the year, then the count of the game's draw days from
/// 1 January, 休市 days not counted.
pub fn draw_number(game: Game, date: NaiveDate) -> Option<DrawNumber> {
    if !draws_on(game, date) {
        return None;
    }
    let jan1 = NaiveDate::from_ymd_opt(date.year(), 1, 1)?;
    let seq = jan1
        .iter_days()
        .take_while(|d| *d <= date)
        .filter(|d| draws_on(game, *d))
        .count();
    Some(DrawNumber {
        year: date.year() as u16,
        seq: seq as u16,
    })
}

/// The game's last draw on or before `date` (the rule version for a day's upstream sales).
pub fn draw_on_or_before(game: Game, date: NaiveDate) -> Option<DrawNumber> {
    (0..=LONGEST_GAP_DAYS)
        .filter_map(|back| draw_number(game, date - Duration::days(back)))
        .next()
}

/// Every draw of `game` from `from` to `to` (inclusive).
pub fn schedule_draws(game: Game, from: NaiveDate, to: NaiveDate) -> Vec<DrawSchedule> {
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter_map(|date| {
            let number = draw_number(game, date)?;
            let previous = (1..=LONGEST_GAP_DAYS)
                .map(|b| date - Duration::days(b))
                .find(|d| draws_on(game, *d))?;
            // After a 休市 between the two draws, sales reopen with the market.
            let reopens = previous
                .iter_days()
                .take_while(|d| *d < date)
                .filter(|d| market_closure(*d).is_some())
                .last()
                .map(|closed| beijing_day_start_ms(closed + Duration::days(1)));
            let opens_at_ms = reopens.map_or(at(previous, SALES_REOPEN), |r| {
                r.max(at(previous, SALES_REOPEN))
            });
            Some(DrawSchedule {
                game,
                number,
                date,
                opens_at_ms,
                closes_at_ms: at(date, SALES_CLOSE),
                draw_at_ms: at(date, draw_time(game)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn ssq_numbers_match_the_official_calendar() {
        // 第2026014期 was drawn on Sunday 2026-02-01 (docs/RULES.md §1.7).
        assert_eq!(
            draw_number(Game::Ssq, day("2026-02-01"))
                .unwrap()
                .to_string(),
            "2026014"
        );
        assert_eq!(draw_number(Game::Ssq, day("2026-02-02")), None);
        assert_eq!(
            draw_on_or_before(Game::Ssq, day("2026-02-02"))
                .unwrap()
                .to_string(),
            "2026014"
        );
    }

    #[test]
    fn sales_close_at_20_and_reopen_after_the_previous_draw() {
        let s = schedule_draws(Game::Fc3d, day("2019-04-10"), day("2019-04-11"));
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].opens_at_ms, at(day("2019-04-10"), (21, 30)));
        assert_eq!(
            s[1].closes_at_ms - s[1].opens_at_ms,
            (22 * 60 + 30) * 60 * 1000
        );
        // 福彩3D draws daily; the seven days of 2019's 春节休市 are not counted.
        assert_eq!(s[0].number.to_string(), "2019093");
    }

    #[test]
    fn no_draw_on_a_market_closure_and_sales_reopen_with_the_market() {
        for game in Game::ALL {
            let s = schedule_draws(game, day("2026-09-20"), day("2026-10-20"));
            assert!(
                s.iter().all(|d| market_closure(d.date).is_none()),
                "{game:?} draws in 国庆休市"
            );
            assert!(s.windows(2).all(|w| w[0].number.seq + 1 == w[1].number.seq));
        }
        // 福彩3D: 09-30 then 10-05; the 10-05 draw opens at 00:00 that day, not 21:30 on 09-30.
        let s = schedule_draws(Game::Fc3d, day("2026-09-30"), day("2026-10-05"));
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].date, day("2026-10-05"));
        assert_eq!(s[1].number.seq, s[0].number.seq + 1);
        assert_eq!(s[1].opens_at_ms, beijing_day_start_ms(day("2026-10-05")));
        assert_eq!(draw_number(Game::Kl8, day("2019-02-07")), None);
        assert_eq!(
            draw_on_or_before(Game::Kl8, day("2019-02-07")),
            draw_number(Game::Kl8, day("2019-02-03"))
        );
    }
}
