//! The draw calendar: which days each game draws, its 期号, and each draw's sales window
//! (opens 21:30 after the previous draw, closes 20:00 on draw day, Beijing time).

use chrono::{Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Weekday};
use fucai_games::{DrawNumber, Game};

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

fn draws_on(game: Game, day: Weekday) -> bool {
    match game {
        Game::Ssq => matches!(day, Weekday::Tue | Weekday::Thu | Weekday::Sun),
        Game::Qlc => matches!(day, Weekday::Mon | Weekday::Wed | Weekday::Fri),
        Game::Fc3d | Game::Kl8 => true,
    }
}

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
/// 1 January (national market closures such as Spring Festival are not modelled).
pub fn draw_number(game: Game, date: NaiveDate) -> Option<DrawNumber> {
    if !draws_on(game, date.weekday()) {
        return None;
    }
    let jan1 = NaiveDate::from_ymd_opt(date.year(), 1, 1)?;
    let seq = jan1
        .iter_days()
        .take_while(|d| *d <= date)
        .filter(|d| draws_on(game, d.weekday()))
        .count();
    Some(DrawNumber {
        year: date.year() as u16,
        seq: seq as u16,
    })
}

/// The game's last draw on or before `date` (the rule version for a day's upstream sales).
pub fn draw_on_or_before(game: Game, date: NaiveDate) -> Option<DrawNumber> {
    (0..7)
        .filter_map(|back| draw_number(game, date - Duration::days(back)))
        .next()
}

/// Every draw of `game` from `from` to `to` (inclusive).
pub fn schedule_draws(game: Game, from: NaiveDate, to: NaiveDate) -> Vec<DrawSchedule> {
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter_map(|date| {
            let number = draw_number(game, date)?;
            let previous = (1..=7)
                .map(|b| date - Duration::days(b))
                .find(|d| draws_on(game, d.weekday()))?;
            Some(DrawSchedule {
                game,
                number,
                date,
                opens_at_ms: at(previous, SALES_REOPEN),
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
        assert_eq!(s[0].number.to_string(), "2019100");
    }
}
