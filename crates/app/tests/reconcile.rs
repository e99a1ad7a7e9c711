//! Configured to, the app re-settles every draw with the public DuckDB query right after it
//! is settled, and the verdict lands in the audit chain.

mod common;

use std::time::Duration;

use common::District;
use fucai_app::Role;

const RESULT: &str = "01 02 03 04 05 06 + 07";

/// The objects of the draw's `draw.reconcile` audit records, waiting up to 10 s for one.
async fn verdicts(d: &District, draw: &str) -> Vec<(String, String)> {
    for _ in 0..100 {
        let records = d
            .app
            .store()
            .read(|r| r.audit_records("draw.reconcile", &format!("ssq/{draw}")))
            .unwrap();
        if !records.is_empty() {
            return records.into_iter().map(|r| (r.actor, r.object)).collect();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no reconciliation was recorded for draw {draw}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_settlement_is_reconciled_when_configured() {
    let d = District::with(|c| c.reconcile_after_settlement = true);
    let draw = "2099001".to_string();
    let cutoff = d.short_draws(std::slice::from_ref(&draw));
    d.sell(
        "r-1",
        &draw,
        &[
            "01 02 03 04 05 09 + 07",
            "01 02 03 10 11 12 + 07",
            "20 21 22 23 24 25 + 16",
        ],
        2,
    )
    .await;
    d.seal_and_result(cutoff, std::slice::from_ref(&draw), RESULT)
        .await;
    let finance = d.person(Role::Finance);
    d.app.settle_draw(&finance, "ssq", &draw).await.unwrap();
    assert_eq!(
        verdicts(&d, &draw).await,
        [(
            "system:reconcile".to_string(),
            format!("ssq/{draw} reconciled")
        )]
    );

    // Asked again by an auditor: every tier confirmed, the 5+1 and 3+1 bets among them.
    let auditor = d.person(Role::Auditor);
    let r = d.app.reconcile_draw(&auditor, "ssq", &draw).await.unwrap();
    assert!(r.mismatches.is_empty());
    let tier = |key: &str| r.tiers.iter().find(|(t, _, _)| t == key).unwrap().clone();
    assert_eq!(tier("3"), ("3".to_string(), 2, 2));
    assert_eq!(tier("5"), ("5".to_string(), 2, 2));
    let operations = d
        .app
        .reconcile_draw(&d.person(Role::Operations), "ssq", &draw)
        .await;
    assert!(operations.is_err(), "operations do not reconcile");
}
