//! A game's draws settle in order, each on the pool and adjustment balances as they stand
//! when it posts: settled two at a time, concurrently, the pool comes out as it does when
//! they are settled one after another. Use cases against a real database file, no HTTP.

use std::sync::Arc;
use std::time::Duration;

use fucai_app::demo::DemoCredentials;
use fucai_app::now_ms;
use fucai_app::{Announcement, App, AppError, Config, Principal, Role, SaleRequest};

/// Draws per run: settled in pairs (N, N+1).
const DRAWS: usize = 12;
const RESULT: &str = "01 02 03 04 05 06 + 07";

struct District {
    app: Arc<App>,
    credentials: DemoCredentials,
    _dir: tempfile::TempDir,
}

impl District {
    fn person(&self, role: Role) -> Principal {
        let (user, _, password) = self
            .credentials
            .users
            .iter()
            .find(|(_, r, _)| *r == role)
            .unwrap();
        self.app.authenticate(user, password).unwrap()
    }

    fn terminal(&self) -> Principal {
        let (code, _, secret) = &self.credentials.terminals[0];
        self.app.terminal(code, secret).unwrap()
    }
}

fn number(k: usize) -> String {
    format!("2099{:03}", k + 1)
}

/// A demo district with `DRAWS` 双色球 draws, each sold, sealed and resulted.
async fn district_with_resulted_draws() -> District {
    let dir = tempfile::tempdir().unwrap();
    let app =
        Arc::new(App::open(&Config::new(dir.path().join("d.db").display().to_string())).unwrap());
    let today = fucai_app::beijing_date(now_ms());
    let credentials = fucai_app::demo::seed(&app, today).unwrap();
    let d = District {
        app,
        credentials,
        _dir: dir,
    };
    let cutoff = now_ms() + 1_500;
    d.app
        .store()
        .write(|tx| {
            for k in 0..DRAWS {
                tx.insert_draw(
                    "ssq",
                    &number(k),
                    cutoff - 3_600_000,
                    cutoff,
                    cutoff + 60_000,
                )?;
            }
            Ok(())
        })
        .unwrap();
    let terminal = d.terminal();
    for k in 0..DRAWS {
        let mut lines = vec![
            "01 02 03 04 05 09 + 07", // 5+1: third prize
            "01 02 03 10 11 12 + 07", // 3+1: fifth prize
            "20 21 22 23 24 25 + 16",
        ];
        if k % 4 == 2 {
            lines.push(RESULT); // a first prize: the pool pays out
        }
        let sale = SaleRequest {
            request_id: format!("order-{k}"),
            game: "ssq".into(),
            draw: number(k),
            draws: 1,
            multiple: 1 + (k as u32 % 3),
            selections: lines.into_iter().map(String::from).collect(),
        };
        d.app.sell(&terminal, sale).await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(
        (cutoff - now_ms()).max(0) as u64 + 100,
    ))
    .await;
    let (ops, admin) = (d.person(Role::Operations), d.person(Role::Admin));
    for k in 0..DRAWS {
        d.app.seal_draw(&ops, "ssq", &number(k)).await.unwrap();
        d.app
            .enter_result(&ops, "ssq", &number(k), RESULT)
            .await
            .unwrap();
        d.app
            .enter_result(&admin, "ssq", &number(k), RESULT)
            .await
            .unwrap();
    }
    d
}

fn is_out_of_order(e: &AppError) -> bool {
    matches!(e, AppError::Refused(why) if why.contains("settle in order"))
}

fn pools(a: &Announcement) -> (i64, i64, i64) {
    (a.pool_before_fen, a.pool_after_fen, a.prizes_fen)
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
            b.pool_before_fen, a.pool_after_fen,
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
    assert_eq!(-pool, expected.last().unwrap().1);
}
