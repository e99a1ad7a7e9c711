//! The draw calendar honours 休市 and extends itself: no game draws on a market-closed day,
//! 期号 run on across the closure, the scheduler's call keeps every game scheduled to the
//! horizon (and writes nothing when it is), and sales dated in a 休市 are refused.

mod common;

use chrono::{Duration, NaiveDate};
use common::District;
use fucai_app::{beijing_day_start_ms, market_closure, Role, CALENDAR_HORIZON_DAYS};
use fucai_games::Game;
use fucai_store::{DrawQuery, DrawRow};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Every draw of `game` whose draw time falls in [from, to), in date order.
fn draws(d: &District, game: Game, from: NaiveDate, to: NaiveDate) -> Vec<DrawRow> {
    let who = d.person(Role::Admin);
    let q = DrawQuery {
        game: Some(game.code().to_string()),
        status: None,
        from_ms: Some(beijing_day_start_ms(from)),
        to_ms: Some(beijing_day_start_ms(to)),
        limit: 1_000,
        offset: 0,
    };
    let (_, mut rows) = d.app.draw_calendar(&who, &q).unwrap();
    rows.sort_by_key(|r| r.draw_at);
    rows
}

fn draw_day(r: &DrawRow) -> NaiveDate {
    fucai_app::beijing_date(r.draw_at)
}

#[tokio::test]
async fn no_draw_on_a_market_closure_and_the_calendar_extends_itself() {
    let d = District::new();
    // Late January 2027: the horizon reaches past the 2027 春节休市 (02-05 … 02-11).
    let today = day("2027-01-20");
    let added = d.app.extend_calendar(today).await.unwrap();
    assert_eq!(
        added.len(),
        4,
        "every game got its missing draws: {added:?}"
    );
    let horizon = today + Duration::days(CALENDAR_HORIZON_DAYS);
    for game in Game::ALL {
        let rows = draws(&d, game, today, horizon + Duration::days(1));
        assert!(!rows.is_empty());
        assert!(draw_day(rows.last().unwrap()) + Duration::days(7) > horizon);
        for r in &rows {
            assert!(
                market_closure(draw_day(r)).is_none(),
                "{} {} is scheduled on {} (休市)",
                r.game,
                r.number,
                draw_day(r)
            );
        }
        // 期号 run on across the closure: consecutive numbers, one per draw day.
        for w in rows.windows(2) {
            let (a, b): (u32, u32) = (
                w[0].number[4..].parse().unwrap(),
                w[1].number[4..].parse().unwrap(),
            );
            assert_eq!(
                b,
                a + 1,
                "{} {} then {}",
                w[0].game,
                w[0].number,
                w[1].number
            );
        }
    }
    // 福彩3D draws daily: 02-04, then 02-12 when the market reopens; that draw's sales open at
    // 00:00 on 02-12, never during the closure.
    let fc3d = draws(&d, Game::Fc3d, day("2027-02-04"), day("2027-02-13"));
    assert_eq!(
        fc3d.iter().map(draw_day).collect::<Vec<_>>(),
        [day("2027-02-04"), day("2027-02-12")]
    );
    assert_eq!(fc3d[1].opens_at, beijing_day_start_ms(day("2027-02-12")));

    // Nothing is missing: the next round writes nothing.
    let audit_before = d.app.store().read(|r| r.audit_head()).unwrap();
    assert!(d.app.extend_calendar(today).await.unwrap().is_empty());
    assert_eq!(
        d.app.store().read(|r| r.audit_head()).unwrap(),
        audit_before
    );

    // Days later the horizon has moved on by as many days.
    let later = today + Duration::days(10);
    let added = d.app.extend_calendar(later).await.unwrap();
    assert!(
        added.iter().all(|(_, n)| *n > 0) && added.len() == 4,
        "{added:?}"
    );
    let kl8 = draws(
        &d,
        Game::Kl8,
        later,
        later + Duration::days(CALENDAR_HORIZON_DAYS + 1),
    );
    assert_eq!(
        draw_day(kl8.last().unwrap()),
        later + Duration::days(CALENDAR_HORIZON_DAYS)
    );
}

#[tokio::test]
async fn sales_dated_in_a_market_closure_are_refused() {
    let d = District::new();
    let finance = d.person(Role::Finance);
    let station = &d.credentials.terminals[0].1;
    let before = d.app.store().read(|r| r.daily_sales()).unwrap().len();
    let csv = format!("date,station,game,amount,bets\n2019-02-11,{station},ssq,20,10\n2019-02-05,{station},ssq,20,10\n");
    let report = d
        .app
        .import_daily_sales(&finance, csv.as_bytes())
        .await
        .unwrap();
    assert_eq!(report.imported, 0, "all rows or none");
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    let e = &report.errors[0];
    assert_eq!(e.column, "date");
    assert!(e.message.contains("春节休市"), "{}", e.message);
    assert_eq!(
        d.app.store().read(|r| r.daily_sales()).unwrap().len(),
        before
    );
}
