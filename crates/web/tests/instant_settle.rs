//! A 即开票 pack settles itself by its game's rule once the process clock passes the game's
//! days after activation; a game recognising sales on settlement posts them then. The clock
//! is the whole process's, so this file keeps to one test.

mod common;

use common::draws::principal;
use common::instant::*;
use common::*;
use fucai_app::{shift_clock, Role};
use fucai_store::PackState;
use reqwest::StatusCode;

#[tokio::test]
async fn activated_packs_settle_after_the_games_days_and_then_count_as_sales() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    // 福满堂: 40 tickets a pack, 50 packs a prize group, sales on settlement, 45 days.
    let f = winner_file("FMT5", 100, 40, 50);
    let r = s
        .upload("/api/v1/instant/batches/FMT5/190001/winners", &ops, f.csv)
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let packs = ["FMT5-190001-0001", "FMT5-190001-0002", "FMT5-190001-0003"];
    scan(&s, &ops, "receive", &packs, None).await;
    scan(&s, &ops, "issue", &packs, Some(OWN_STATION)).await;
    scan_at(&s, OWN_STATION, "confirm", &packs).await;
    let (st, r) = scan_at(&s, OWN_STATION, "activate", &packs[..2]).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["sales_fen"], 0, "not recognised before settlement");
    assert!(
        s.app.settle_due_packs().await.unwrap().is_empty(),
        "not due yet"
    );

    shift_clock(46 * 86_400_000);
    let settled = s.app.settle_due_packs().await.unwrap();
    assert_eq!(settled, ["FMT5-190001-0001", "FMT5-190001-0002"]);
    assert!(
        s.app.settle_due_packs().await.unwrap().is_empty(),
        "settled once"
    );
    let ops_now = principal(&s, Role::Operations);
    let (p1, moves) = s.app.instant_pack(&ops_now, packs[0]).unwrap();
    assert_eq!(p1.state, PackState::Settled);
    assert_eq!(moves.last().unwrap().note, "rule: days after activation");
    let (p3, _) = s.app.instant_pack(&ops_now, packs[2]).unwrap();
    assert_eq!(
        p3.state,
        PackState::AtStation,
        "never activated, never settled"
    );
    let check = s.app.store().read(|r| r.verify_ledger()).unwrap();
    shift_clock(0);
    assert!(check.is_ok(), "{check:?}");
    assert_eq!(check.instant_sales_total.fen(), 2 * 40 * 500);
    assert_eq!(check.instant_sales_postings.fen(), 2 * 40 * 500);
}
