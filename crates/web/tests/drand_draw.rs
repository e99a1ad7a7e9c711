//! A whole verifiable draw on a served database with a real drand quicknet round: commit (the
//! round fixed then), sell, seal, refuse every wrong beacon with nothing written, draw with the
//! round's signature, settle, and check the published transcript and sealed file alone. A
//! second draw, not run within its window, is marked abandoned and then late.
//!
//! The process clock is set to September 2023, when round 657413 was signed, so this file keeps
//! to one test: the clock is the whole process's.

mod common;

use common::draws::*;
use common::*;
use fucai_app::{set_clock, shift_clock, BeaconTiming};
use reqwest::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};

/// quicknet round 657413 (https://api.drand.sh/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971/public/657413).
const ROUND: u64 = 657_413;
const SIGNATURE: &str = "b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b";
const RANDOMNESS: &str = "fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587";
/// Signed at 2023-09-15 19:00:03 Beijing time.
const ROUND_AT: i64 = 1_694_775_603_000;
/// League of Entropy's chained mainnet, round 72785: real, but another network.
const MAINNET_SIGNATURE: &str = "82f5d3d2de4db19d40a6980e8aa37842a0e55d1df06bd68bddc8d60002e8e959eb9cfa368b3c1b77d18f02a54fe047b80f0989315f83b12a74fd8679c4f12aae86eaf6ab5690b34f1fddd50ee3cc6f6cdf59e95526d5a5d82aaa84fa6f181e42";

const MARGIN_MS: i64 = 60_000;
const WINDOW_MS: i64 = 3_600_000;
/// Sales close at 18:59:00, so the first round after cutoff + margin is 657413.
const CLOSES_AT: i64 = ROUND_AT - MARGIN_MS - 3_000;

fn flipped(signature: &str) -> String {
    let mut bytes = hex::decode(signature).unwrap();
    bytes[20] ^= 0x01;
    hex::encode(bytes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_verifiable_draw_takes_the_committed_drand_round_and_anyone_can_check_it() {
    set_clock(CLOSES_AT - 30 * 60_000);
    let s = start_with(|c| {
        c.beacon_timing = BeaconTiming {
            margin_ms: MARGIN_MS,
            reveal_window_ms: WINDOW_MS,
        }
    })
    .await;
    let staff = staff(&s).await;
    let (on_time, abandoned) = ("2098201", "2098202");
    for draw in [on_time, abandoned] {
        s.app
            .store()
            .write(|tx| {
                tx.insert_draw(
                    "ssq",
                    draw,
                    CLOSES_AT - 86_400_000,
                    CLOSES_AT,
                    CLOSES_AT + 4_500_000,
                )
                .map(|_| ())
            })
            .unwrap();
    }

    // Before the cutoff: the commitment names the round, public from now on.
    let (st, c) = step(&s, &staff.ops, "ssq", on_time, "commitment", json!({})).await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    assert_eq!(c["beacon"]["round"], ROUND);
    assert_eq!(c["beacon"]["round_at"], ROUND_AT);
    assert_eq!(c["beacon"]["reveal_by"], ROUND_AT + WINDOW_MS);
    assert_eq!(c["beacon"]["reveal"], "pending");
    let (st, _) = step(&s, &staff.ops, "ssq", on_time, "commitment", json!({})).await;
    assert_eq!(st, StatusCode::CONFLICT, "one commitment per draw");
    let (st, _) = step(&s, &staff.ops, "ssq", abandoned, "commitment", json!({})).await;
    assert_eq!(st, StatusCode::CREATED);
    let (_, info) = public(&s, &format!("/api/v1/public/draws/ssq/{on_time}")).await;
    assert_eq!(info["commitment"], c["commitment"]);
    assert_eq!(info["beacon"]["round"], ROUND);
    for draw in [on_time, abandoned] {
        sell(
            &s,
            OWN_STATION,
            "ssq",
            draw,
            &["01 02 03 04 05 06 07 08 + 01 02 03"],
        )
        .await;
        sell(
            &s,
            OWN_STATION,
            "ssq",
            draw,
            &["03 07 # 09 12 18 22 29 + 05"],
        )
        .await;
    }
    let draw_path = |draw: &str| format!("/api/v1/draws/ssq/{draw}/verifiable-draw");
    let good = json!({"signature": SIGNATURE, "round": ROUND});
    let (st, _) = post(&s, &staff.ops, &draw_path(on_time), good.clone()).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "not before the seal");

    // After the cutoff: no commitment; the seal.
    set_clock(CLOSES_AT + 1_000);
    let (st, _) = step(&s, &staff.ops, "ssq", on_time, "commitment", json!({})).await;
    assert_eq!(
        st,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no commitment after the cutoff"
    );
    let (st, seal) = step(&s, &staff.ops, "ssq", on_time, "seal", json!({})).await;
    assert_eq!(st, StatusCode::OK, "{seal}");
    let (st, _) = step(&s, &staff.ops, "ssq", abandoned, "seal", json!({})).await;
    assert_eq!(st, StatusCode::OK);

    // A minute after the round: every wrong beacon is refused, and nothing is written.
    set_clock(ROUND_AT + 60_000);
    let audit_before = s.app.audit_head().unwrap();
    for (body, field) in [
        (json!({"signature": SIGNATURE, "round": ROUND + 1}), "round"),
        (json!({"signature": flipped(SIGNATURE)}), "signature"),
        (
            json!({"signature": MAINNET_SIGNATURE, "round": 72_785}),
            "round",
        ),
        (json!({"signature": MAINNET_SIGNATURE}), "signature"),
        (json!({"signature": "zz"}), "signature"),
        (json!({"beacon": "SSE 3312.56"}), "signature"),
        (json!({}), "signature"),
    ] {
        let (st, e) = post(&s, &staff.ops, &draw_path(on_time), body.clone()).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{body}: {e}");
        assert_eq!(e["error"]["field"], field, "{body}: {e}");
    }
    let (_, info) = public(&s, &format!("/api/v1/public/draws/ssq/{on_time}")).await;
    assert_eq!(info["status"], "sealed");
    assert_eq!(s.app.audit_head().unwrap(), audit_before, "nothing written");

    let (st, t) = post(&s, &staff.ops, &draw_path(on_time), good.clone()).await;
    assert_eq!(st, StatusCode::OK, "{t}");
    assert_eq!(t["algorithm"], "fucai-draw-v2");
    assert_eq!(t["drand"]["round"], ROUND);
    assert_eq!(t["drand"]["randomness"], RANDOMNESS);
    assert_eq!(t["beacon"], RANDOMNESS);
    assert_eq!(t["seal_sha256"], seal["sha256"]);
    let (st, ann) = step(&s, &staff.finance, "ssq", on_time, "settle", json!({})).await;
    assert_eq!(st, StatusCode::OK, "{ann}");
    assert_eq!(ann["method"], "verifiable");
    assert_eq!(ann["result"], t["result"]);

    // Anyone, from the public files alone: the transcript recomputes (the round's signature
    // checked against quicknet's key), and the sealed file is the one the transcript names.
    let (st, published) = public(
        &s,
        &format!("/api/v1/public/draws/ssq/{on_time}/transcript"),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let transcript: fucai_settle::Transcript = serde_json::from_value(published).unwrap();
    assert_eq!(transcript.verify().unwrap().to_string(), t["result"]);
    let sealed = s
        .client
        .get(s.url(&format!(
            "/api/v1/public/draws/ssq/{on_time}/sealed.parquet"
        )))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(hex::encode(Sha256::digest(&sealed)), transcript.seal_sha256);
    let mut forged = transcript.clone();
    forged.drand.as_mut().unwrap().signature = flipped(SIGNATURE);
    assert!(forged.verify().is_err());
    let (_, info) = public(&s, &format!("/api/v1/public/draws/ssq/{on_time}")).await;
    assert_eq!(info["beacon"]["reveal"], "on_time");
    let page = s.get_public_text(&format!("/draws/ssq/{on_time}")).await;
    assert!(page.contains("drand quicknet 第 657413 轮"), "{page}");
    assert!(
        page.contains("已按时开奖") && page.contains("verify-transcript"),
        "{page}"
    );

    // The second draw's window passes: marked abandoned once; drawn after that, late.
    set_clock(ROUND_AT + WINDOW_MS + 60_000);
    let (_, info) = public(&s, &format!("/api/v1/public/draws/ssq/{abandoned}")).await;
    assert_eq!(info["beacon"]["reveal"], "abandoned");
    let page = s.get_public_text(&format!("/draws/ssq/{abandoned}")).await;
    assert!(
        page.contains("逾期未开奖") && page.contains("等待开奖"),
        "{page}"
    );
    assert_eq!(
        s.app.mark_abandoned_draws().await.unwrap(),
        vec![format!("ssq {abandoned}")]
    );
    assert!(
        s.app.mark_abandoned_draws().await.unwrap().is_empty(),
        "marked once"
    );
    let audit = |action: &str| {
        s.app
            .store()
            .read(|r| r.audit_records(action, &format!("ssq/{abandoned}")))
            .unwrap()
            .len()
    };
    assert_eq!(audit("draw.abandoned"), 1);
    let (st, late) = post(&s, &staff.admin, &draw_path(abandoned), good).await;
    assert_eq!(st, StatusCode::OK, "{late}");
    assert_eq!(audit("draw.late"), 1);
    let (_, info) = public(&s, &format!("/api/v1/public/draws/ssq/{abandoned}")).await;
    assert_eq!(info["beacon"]["reveal"], "late");
    let page = s.get_public_text(&format!("/draws/ssq/{abandoned}")).await;
    assert!(
        page.contains("逾期开奖") && page.contains(late["result"].as_str().unwrap()),
        "{page}"
    );
    let chain = s.get_json("/api/v1/audit/verify", &staff.admin).await;
    assert_eq!(chain["ok"], true, "{chain}");
    shift_clock(0);
}
