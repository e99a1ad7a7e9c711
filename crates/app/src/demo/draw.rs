//! The demo's last 双色球 draw, rehearsed through the real use cases: the process clock is
//! set back to that draw day, stations sell tickets before the cutoff, then the draw is
//! sealed, its official result entered by two people (four-eyes) and settled — so the demo
//! opens with a real 开奖公告, real winners and real claims to make. (A verifiable draw needs
//! the signature of a drand round after the cutoff, which the demo cannot fetch offline.)

use crate::clock::{now_ms, set_clock, shift_clock};
use chrono::Duration;
use fucai_games::{Game, NumberSet, Numbers, Pick, Selection, SsqNumbers};
use rand::rngs::StdRng;
use rand::seq::index::sample;
use rand::{Rng, SeedableRng};

use super::{user, DemoCredentials};
use crate::calendar::{beijing_date, schedule_draws};
use crate::draws::Announcement;
use crate::error::{AppError, AppResult};
use crate::sales::SaleRequest;
use crate::App;

/// Tickets sold in the rehearsed draw.
const TICKETS: usize = 360;
/// The rehearsed draw's official result, as the national draw would give it.
fn demo_result(rng: &mut StdRng) -> String {
    let mut reds: Vec<usize> = sample(rng, 33, 6).into_iter().map(|i| i + 1).collect();
    reds.sort_unstable();
    let reds: Vec<String> = reds.iter().map(|n| format!("{n:02}")).collect();
    format!("{} + {:02}", reds.join(" "), rng.random_range(1..=16))
}

/// A line the way buyers write them: mostly 单式, some 复式 and 胆拖, now and then a multiple.
fn demo_line(rng: &mut StdRng) -> String {
    let reds = |rng: &mut StdRng, n: usize| -> Vec<u8> {
        sample(rng, 33, n)
            .into_iter()
            .map(|i| i as u8 + 1)
            .collect()
    };
    let set = |numbers: &[u8]| numbers.iter().copied().collect::<NumberSet>();
    let red = match rng.random_range(0..20) {
        0..=15 => Pick::plain(set(&reds(rng, 6)), 6),
        16 | 17 => Pick::plain(set(&reds(rng, 7)), 6),
        _ => {
            let all = reds(rng, 8);
            Pick {
                dan: set(&all[..2]),
                tuo: set(&all[2..]),
                size: 6,
            }
        }
    };
    let blue = NumberSet::EMPTY.with(rng.random_range(1..=16));
    let multiple = match rng.random_range(0..10) {
        0 => 5,
        1 | 2 => 2,
        _ => 1,
    };
    Selection {
        numbers: Numbers::Ssq(SsqNumbers { red, blue }),
        multiple,
    }
    .to_string()
}

/// The rehearsed draw: its announcement, and a winning ticket to claim (serial, verification
/// code, prize).
pub struct Rehearsal {
    pub announcement: Announcement,
    pub winner: Option<(String, String, fucai_ledger::Money)>,
}

/// Rehearses the latest 双色球 draw before now.
pub async fn rehearse_last_draw(app: &App, credentials: &DemoCredentials) -> AppResult<Rehearsal> {
    let today = beijing_date(now_ms());
    let schedule = schedule_draws(Game::Ssq, today - Duration::days(7), today);
    let last = schedule
        .iter()
        .rev()
        .find(|d| d.draw_at_ms < now_ms())
        .ok_or_else(|| AppError::internal("no 双色球 draw in the last week"))?
        .clone();
    let number = last.number.to_string();
    let (operations, admin, finance) = (
        user(app, "operations")?,
        user(app, "admin")?,
        user(app, "finance")?,
    );
    let mut tickets = Vec::new();
    let outcome = async {
        // Half an hour before that draw's cutoff: sales.
        set_clock(last.closes_at_ms - 30 * 60_000);
        let terminals = credentials.active_terminals();
        let mut rng = StdRng::seed_from_u64(number.parse().unwrap_or(2019));
        for i in 0..TICKETS {
            let (code, secret) = &terminals[i % terminals.len()];
            let terminal = app.terminal(code, secret)?;
            let lines = (0..rng.random_range(1..=5))
                .map(|_| demo_line(&mut rng))
                .collect();
            let request = SaleRequest {
                request_id: format!("demo-{number}-{i}"),
                game: "ssq".into(),
                draw: number.clone(),
                draws: 1,
                multiple: 1,
                selections: lines,
            };
            let sold = app.sell(&terminal, request).await?.ticket;
            tickets.push((sold.serial, sold.verification_code));
        }
        // A minute after the cutoff: seal, the result entered twice, settle.
        set_clock(last.closes_at_ms + 60_000);
        app.seal_draw(&operations, "ssq", &number).await?;
        let result = demo_result(&mut rng);
        app.enter_result(&operations, "ssq", &number, &result)
            .await?;
        app.enter_result(&admin, "ssq", &number, &result).await?;
        app.settle_draw(&finance, "ssq", &number).await
    }
    .await;
    shift_clock(0);
    let announcement = outcome?;
    // The biggest prize a station can pay, for trying a claim.
    let winner = tickets
        .into_iter()
        .filter_map(|(serial, code)| {
            let prize = app.ticket_prizes(&serial, &code).ok()?.first()?.amount;
            (prize > fucai_ledger::Money::ZERO).then_some((serial, code, prize))
        })
        .max_by_key(|(_, _, prize)| *prize);
    Ok(Rehearsal {
        announcement,
        winner,
    })
}
