//! A game's draws settle in order, each on the pool and adjustment balances as they stand
//! when it posts: settled two at a time, concurrently, the pool comes out as it does when
//! they are settled one after another. Use cases against a real database file, no HTTP.

mod common;

use common::District;
use fucai_app::{Announcement, AppError, Role};

/// Draws per run: settled in pairs (N, N+1).
const DRAWS: usize = 12;
const RESULT: &str = "01 02 03 04 05 06 + 07";

fn number(k: usize) -> String {
    format!("2099{:03}", k + 1)
}

/// A demo district with `DRAWS` 双色球 draws, each sold, sealed and resulted.
async fn district_with_resulted_draws() -> District {
    let d = District::new();
    let numbers: Vec<String> = (0..DRAWS).map(number).collect();
    let cutoff = d.short_draws(&numbers);
    for (k, draw) in numbers.iter().enumerate() {
        let mut lines = vec![
            "01 02 03 04 05 09 + 07", // 5+1: third prize
            "01 02 03 10 11 12 + 07", // 3+1: fifth prize
            "20 21 22 23 24 25 + 16",
        ];
        if k % 4 == 2 {
            lines.push(RESULT); // a first prize: the pool pays out
        }
        d.sell(&format!("order-{k}"), draw, &lines, 1 + (k as u32 % 3))
            .await;
    }
    d.seal_and_result(cutoff, &numbers, RESULT).await;
    d
}

fn is_out_of_order(e: &AppError) -> bool {
    matches!(e, AppError::Refused(why) if why.contains("settle in order"))
}

fn pools(a: &Announcement) -> (i64, i64, i64) {
    (a.pool_before.fen(), a.pool_after.fen(), a.prizes.fen())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consecutive_draws_settled_at_once_match_the_serial_settlement() {
    let (serial, concurrent) = tokio::join!(
        district_with_resulted_draws(),
        district_with_resulted_draws()
    );

    // One after another.
    let finance = serial.person(Role::Finance);
    let mut expected = Vec::new();
    for k in 0..DRAWS {
        let a = serial
            .app
            .settle_draw(&finance, "ssq", &number(k))
            .await
            .unwrap();
        expected.push(pools(&a));
    }

    // Two at a time: N+1 before N is refused; both at once settle N, and N+1 either waits
    // its turn or is refused and settled after.
    let finance = concurrent.person(Role::Finance);
    let mut got = Vec::new();
    let mut refused_at_once = 0;
    for pair in (0..DRAWS).step_by(2) {
        let (n, next) = (number(pair), number(pair + 1));
        let early = concurrent.app.settle_draw(&finance, "ssq", &next).await;
        assert!(
            early.as_ref().is_err_and(is_out_of_order),
            "draw {next} settled before {n}: {early:?}"
        );
        let (a, b) = tokio::join!(
            concurrent.app.settle_draw(&finance, "ssq", &n),
            concurrent.app.settle_draw(&finance, "ssq", &next)
        );
        let a = a.unwrap();
        let b = match b {
            Ok(b) => b,
            Err(e) if is_out_of_order(&e) => {
                refused_at_once += 1;
                concurrent
                    .app
                    .settle_draw(&finance, "ssq", &next)
                    .await
                    .unwrap()
            }
            Err(e) => panic!("draw {next}: {e}"),
        };
        assert_eq!(
            b.pool_before, a.pool_after,
            "draw {next} starts where {n} ended"
        );
        got.push(pools(&a));
        got.push(pools(&b));
    }
    assert_eq!(got, expected, "concurrent settlement differs from serial");
    eprintln!(
        "{refused_at_once} of {} second draws were refused while the first settled",
        DRAWS / 2
    );

    for d in [&serial, &concurrent] {
        let check = d.app.store().read(|r| r.verify_ledger()).unwrap();
        assert!(check.is_ok(), "{check:?}");
    }
    // The jackpot pool's balance is the last settlement's pool after.
    let pool = concurrent
        .app
        .store()
        .read(|r| {
            r.account_balance(
                &fucai_settle::settlement::national(
                    fucai_games::Game::Ssq,
                    fucai_ledger::Fund::JackpotPool,
                )
                .to_string(),
            )
        })
        .unwrap();
    assert_eq!(-pool.fen(), expected.last().unwrap().1);
}
