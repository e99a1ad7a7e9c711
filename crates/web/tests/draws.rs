//! Draws end to end over HTTP against a real database file: sales, seal at cutoff, four-eyes
//! and verifiable results, settlement, announcement, claims with tax, expiry.

mod common;

use common::draws::*;
use common::{start, OTHER_STATION, OWN_STATION};
use fucai_app::now_ms;
use fucai_app::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn a_draw_is_sealed_resulted_by_two_people_settled_announced_and_paid_with_tax() {
    let s = start().await;
    let Staff {
        ops,
        admin,
        finance,
    } = staff(&s).await;
    let draw = "2098101";
    short_draw(&s, "ssq", draw, now_ms() + 3_600_000);

    // Two tickets that will each win 三等奖 (5+1, 3,000元) twice: 6,000元 each.
    let a = sell(
        &s,
        OWN_STATION,
        "ssq",
        draw,
        &["01 02 03 04 05 06 + 07 x 2"],
    )
    .await;
    let b = sell(
        &s,
        OWN_STATION,
        "ssq",
        draw,
        &["01 02 03 04 05 08 + 07 x 2", "20 21 22 23 24 25 + 16"],
    )
    .await;
    // A 复式 and a 胆拖 line, and a ticket cancelled before the cutoff (not sealed).
    sell(
        &s,
        OTHER_STATION,
        "ssq",
        draw,
        &[
            "01 02 03 04 10 11 12 + 07 09",
            "01 02 # 03 04 05 13 14 + 10",
        ],
    )
    .await;
    let cancelled = sell(&s, OWN_STATION, "ssq", draw, &["01 02 03 04 05 09 + 07"]).await;
    let r = s
        .client
        .post(s.url(&format!(
            "/api/v1/tickets/{}/cancel",
            cancelled["serial"].as_str().unwrap()
        )))
        .headers(s.terminal(OWN_STATION))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // Before the cutoff a seal is refused; a commitment can still be made.
    let (st, _) = step(&s, &ops, "ssq", draw, "seal", json!({})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    wait_for_cutoff().await;

    let (st, seal) = step(&s, &ops, "ssq", draw, "seal", json!({})).await;
    assert_eq!(st, StatusCode::OK, "{seal}");
    assert_eq!(seal["rows"], 5, "{seal}");
    // 2 + 2 + (C(7,6)·2 = 14) + (C(5,4) = 5) + 1 bets... at 2元.
    let bets = 2 + 2 + 1 + 14 + 5;
    assert_eq!(seal["bets"], bets);
    assert_eq!(seal["amount_fen"], bets * 200);
    let sha = seal["sha256"].as_str().unwrap().to_string();
    let (st, _) = step(&s, &ops, "ssq", draw, "seal", json!({})).await;
    assert_eq!(st, StatusCode::CONFLICT, "a draw is sealed once");

    // The seal is public before any result.
    let (st, info) = public(&s, &format!("/api/v1/public/draws/ssq/{draw}")).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(info["seal"]["sha256"], sha);
    assert_eq!(info["result"], Value::Null);
    assert_eq!(info["status"], "sealed");
    let file = s
        .client
        .get(s.url(&format!("/api/v1/public/draws/ssq/{draw}/sealed.parquet")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        fucai_store::sha256_hex(&file),
        sha,
        "the download is the sealed file"
    );
    assert_eq!(s.app.verify_seal("ssq", draw).unwrap().sha256, sha);

    // A sale after the seal is refused and writes nothing.
    let before = s.ticket_count();
    let r = s
        .sell(OWN_STATION, json!({"request_id": "late", "game": "ssq", "draw": draw, "selections": ["01 02 03 04 05 06 + 07"]}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(s.ticket_count(), before);

    // Four eyes: a second entry that differs records nothing; the same person cannot confirm.
    let path = format!("/api/v1/draws/ssq/{draw}/result");
    let (st, _) = post(
        &s,
        &ops,
        &path,
        json!({"numbers": "01 02 03 04 05 09 + 07"}),
    )
    .await;
    assert_eq!(st, StatusCode::ACCEPTED);
    let (st, _) = post(
        &s,
        &ops,
        &path,
        json!({"numbers": "01 02 03 04 05 09 + 07"}),
    )
    .await;
    assert_eq!(st, StatusCode::CONFLICT, "one person cannot enter both");
    let (st, body) = post(
        &s,
        &admin,
        &path,
        json!({"numbers": "01 02 03 04 05 09 + 08"}),
    )
    .await;
    assert_eq!(st, StatusCode::CONFLICT, "{body}");
    let (_, info) = public(&s, &format!("/api/v1/public/draws/ssq/{draw}")).await;
    assert_eq!(info["result"], Value::Null, "a mismatch records nothing");
    assert_eq!(info["status"], "sealed");
    let (st, _) = post(&s, &admin, &path, json!({"numbers": "bad"})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let (st, _) = post(
        &s,
        &admin,
        &path,
        json!({"numbers": "01 02 03 04 05 09 + 07"}),
    )
    .await;
    assert_eq!(
        st,
        StatusCode::ACCEPTED,
        "after a mismatch both enter again"
    );
    let (st, body) = post(&s, &ops, &path, json!({"numbers": "9 5 4 3 2 1 + 7"})).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["result"], "01 02 03 04 05 09 + 07");

    // Settlement and the announcement.
    let (st, a_json) = step(&s, &ops, "ssq", draw, "settle", json!({})).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "operations do not settle");
    let (st, ann) = step(&s, &finance, "ssq", draw, "settle", json!({})).await;
    assert_eq!(st, StatusCode::OK, "{a_json} {ann}");
    let tier = |key: &str| {
        ann["tiers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["tier"] == key)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(tier("3")["bets"], 4, "{ann}");
    assert_eq!(tier("3")["prize_fen"], 300_000);
    assert_eq!(ann["seal_sha256"], sha);
    assert_eq!(ann["result"], "01 02 03 04 05 09 + 07");
    let (st, public_ann) =
        public(&s, &format!("/api/v1/public/draws/ssq/{draw}/announcement")).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(public_ann["prizes_fen"], ann["prizes_fen"]);
    let page = s.get_public_text(&format!("/draws/ssq/{draw}")).await;
    assert!(
        page.contains("开奖公告") && page.contains(&sha) && page.contains("01 02 03 04 05 09 + 07")
    );
    let (st, _) = step(&s, &finance, "ssq", draw, "settle", json!({})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "settled once");
    let (st, results) = public(&s, "/api/v1/public/results?game=ssq").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(results[0]["number"], draw, "{results}");
    assert_eq!(results[0]["numbers"], "01 02 03 04 05 09 + 07");
    let list = s.get_public_text("/draws").await;
    assert!(list.contains(&format!("/draws/ssq/{draw}")), "{list}");
    let (st, _) = public(&s, "/api/v1/public/results?game=lotto").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let ledger = s.get_json("/api/v1/ledger/verify", &finance).await;
    assert_eq!(ledger["ok"], true, "{ledger}");

    // Claims: one person's two 6,000元 tickets are one 中奖收入 of 12,000元.
    let (serial_a, code_a) = ticket(&a);
    let (serial_b, code_b) = ticket(&b);
    let person = id_number(17);
    let (st, body) =
        claim_at_station(&s, OWN_STATION, json!({"serial": serial_a, "code": code_a})).await;
    assert_eq!(
        st,
        StatusCode::BAD_REQUEST,
        "above 3,000元 needs the 身份证号: {body}"
    );
    assert_eq!(body["error"]["field"], "claimant_id");
    let (st, paid_a) = claim_at_station(
        &s,
        OWN_STATION,
        json!({"serial": serial_a, "code": code_a, "claimant_id": person}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{paid_a}");
    assert_eq!(paid_a["draws"][0]["gross_fen"], 600_000);
    assert_eq!(paid_a["draws"][0]["tax_fen"], 0);
    assert_eq!(paid_a["net_fen"], 600_000);
    let (st, _) = claim_at_station(
        &s,
        OWN_STATION,
        json!({"serial": serial_a, "code": code_a, "claimant_id": person}),
    )
    .await;
    assert_eq!(st, StatusCode::CONFLICT, "a ticket is paid once");
    let (st, prizes) = public(
        &s,
        &format!("/api/v1/tickets/{serial_a}/prizes?code={code_a}"),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(prizes[0]["status"], "paid", "{prizes}");
    assert_eq!(prizes[0]["amount_fen"], 600_000);
    assert_eq!(prizes[0]["tiers"]["3"], 2);
    let (st, _) = public(&s, &format!("/api/v1/tickets/{serial_a}/prizes?code=WRONG")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, body) = claim_at_station(
        &s,
        OWN_STATION,
        json!({"serial": serial_b, "code": code_b, "claimant_id": person}),
    )
    .await;
    assert_eq!(
        st,
        StatusCode::UNPROCESSABLE_ENTITY,
        "12,000元 is beyond a station: {body}"
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("district"),
        "{body}"
    );
    let (st, paid_b) = post(
        &s,
        &finance,
        "/api/v1/claims",
        json!({"serial": serial_b, "code": code_b, "claimant_id": person}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{paid_b}");
    assert_eq!(paid_b["office"], "district");
    assert_eq!(
        paid_b["draws"][0]["tax_fen"], 240_000,
        "20% of the whole 12,000元"
    );
    assert_eq!(paid_b["net_fen"], 360_000);
    let (st, _) = post(
        &s,
        &finance,
        "/api/v1/claims",
        json!({"serial": serial_b, "code": "WRONG", "claimant_id": person}),
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    let balances = s.get_json("/api/v1/ledger/balances", &finance).await;
    let balance = |code: &str| {
        balances
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["account"] == code)
            .map_or(0, |b| b["balance_fen"].as_i64().unwrap())
    };
    assert_eq!(
        balance("district/320412/tax_withheld"),
        -240_000,
        "{balances}"
    );
    let ledger = s.get_json("/api/v1/ledger/verify", &finance).await;
    assert_eq!(ledger["ok"], true, "{ledger}");
    let audit = s.get_json("/api/v1/audit/verify", &admin).await;
    assert_eq!(audit["ok"], true, "{audit}");

    // After the claim period the rest of the prizes move to the provincial welfare fund.
    let settled = s.app.announcement("ssq", draw).unwrap();
    let deadline: chrono::NaiveDate = settled.claim_deadline.parse().unwrap();
    let fin = principal(&s, Role::Finance);
    let early = s.app.expire_draw(&fin, "ssq", draw, deadline).await;
    assert!(early.is_err(), "not before the deadline has passed");
    let welfare_before = balance("province/32/welfare");
    let (count, total) = s
        .app
        .expire_draw(&fin, "ssq", draw, deadline + chrono::Duration::days(1))
        .await
        .unwrap();
    assert_eq!(total.fen(), settled.prizes.fen() - 1_200_000);
    assert!(count >= 1);
    let balances = s.get_json("/api/v1/ledger/balances", &finance).await;
    let after = balances
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["account"] == "province/32/welfare")
        .map_or(0, |b| b["balance_fen"].as_i64().unwrap());
    assert_eq!(
        after - welfare_before,
        -total.fen(),
        "credited to the welfare fund"
    );
    let ledger = s.get_json("/api/v1/ledger/verify", &finance).await;
    assert_eq!(ledger["ok"], true, "{ledger}");
}

#[tokio::test]
async fn sixteen_concurrent_claims_of_one_ticket_pay_once() {
    let s = start().await;
    let staff = staff(&s).await;
    let sold = settled_draw(
        &s,
        &staff,
        "ssq",
        "2098102",
        &[&["01 02 03 04 05 06 + 07"]],
        "01 02 03 04 05 09 + 07",
    )
    .await;
    let t = &sold[0];
    let (serial, code) = ticket(t);
    let person = id_number(21);
    let claims = (0..16).map(|_| {
        let body = json!({"serial": serial, "code": code, "claimant_id": person});
        let s = &s;
        async move { claim_at_station(s, OWN_STATION, body).await.0 }
    });
    let statuses: Vec<StatusCode> = futures::future::join_all(claims).await;
    let paid = statuses.iter().filter(|&&st| st == StatusCode::OK).count();
    let conflicts = statuses
        .iter()
        .filter(|&&st| st == StatusCode::CONFLICT)
        .count();
    assert_eq!((paid, conflicts), (1, 15), "{statuses:?}");
    let claims: i64 = s.app.store().read(|r| r.claim_count()).unwrap();
    assert_eq!(claims, 1);
    let ledger = s.get_json("/api/v1/ledger/verify", &staff.finance).await;
    assert_eq!(ledger["ok"], true, "{ledger}");
}

#[tokio::test]
async fn ten_thousand_yuan_exactly_is_not_taxed_and_more_is() {
    let s = start().await;
    let staff = staff(&s).await;
    // 快乐8 under its 2020 rules (选七中七 = 10,000元), drawn after 2024-09-01.
    let result = "01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20";
    let sold = settled_draw(
        &s,
        &staff,
        "kl8",
        "2024300",
        &[
            &["x7 01 02 03 04 05 06 07"],
            &["x7 01 02 03 04 05 06 07", "x1 08"],
        ],
        result,
    )
    .await;
    let (exact, above) = (&sold[0], &sold[1]);
    let (serial, code) = ticket(exact);
    let (st, paid) = claim_at_station(
        &s,
        OWN_STATION,
        json!({"serial": serial, "code": code, "claimant_id": id_number(31)}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "10,000元 is paid at a station: {paid}");
    assert_eq!(paid["draws"][0]["gross_fen"], 1_000_000);
    assert_eq!(
        paid["draws"][0]["tax_fen"], 0,
        "10,000元 exactly is not taxed"
    );

    let (serial, code) = ticket(above);
    let (st, paid) = post(
        &s,
        &staff.finance,
        "/api/v1/claims",
        json!({"serial": serial, "code": code, "claimant_id": id_number(32)}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{paid}");
    assert_eq!(paid["draws"][0]["gross_fen"], 1_000_460, "10,000 + 4.60元");
    assert_eq!(paid["draws"][0]["tax_fen"], 200_092, "20% of all of it");
    assert_eq!(paid["net_fen"], 1_000_460 - 200_092);
}

/// A commitment made before draws named a drand round (fucai-draw-v1) is still drawn with
/// the operator's beacon text, and its transcript verifies; a signature is refused for it.
#[tokio::test]
async fn a_commitment_from_before_the_drand_round_is_drawn_as_before() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let draw = "2098104";
    short_draw(&s, "ssq", draw, now_ms() + 3_600_000);
    let secret = [9u8; 32];
    let commitment = fucai_settle::verifiable::commitment(&secret);
    let draw_id = s.app.store().read(|r| r.draw("ssq", draw)).unwrap().id;
    s.app
        .store()
        .write(|tx| {
            tx.insert_commitment(
                draw_id,
                &fucai_store::CommitmentRow {
                    commitment: commitment.clone(),
                    secret: hex::encode(secret),
                    committed_at: now_ms(),
                    committed_by: "operations".into(),
                    beacon_round: None,
                    reveal_by: None,
                    reveal: None,
                },
            )
        })
        .unwrap();
    sell(&s, OWN_STATION, "ssq", draw, &["01 02 03 04 05 06 + 07"]).await;
    wait_for_cutoff().await;
    let (st, _) = step(&s, &ops, "ssq", draw, "seal", json!({})).await;
    assert_eq!(st, StatusCode::OK);
    let path = format!("/api/v1/draws/ssq/{draw}/verifiable-draw");
    let (st, e) = post(&s, &ops, &path, json!({"signature": "ab".repeat(48)})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["error"]["field"], "signature");
    let (st, _) = post(&s, &ops, &path, json!({"beacon": ""})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let (st, t) = post(&s, &ops, &path, json!({"beacon": "SSE 3312.56"})).await;
    assert_eq!(st, StatusCode::OK, "{t}");
    assert_eq!(t["algorithm"], "fucai-draw-v1");
    assert_eq!(t["commitment"], commitment);
    let (_, published) = public(&s, &format!("/api/v1/public/draws/ssq/{draw}/transcript")).await;
    let transcript: fucai_settle::Transcript = serde_json::from_value(published).unwrap();
    assert_eq!(transcript.verify().unwrap().to_string(), t["result"]);
    let (_, info) = public(&s, &format!("/api/v1/public/draws/ssq/{draw}")).await;
    assert_eq!(
        info["beacon"],
        Value::Null,
        "no drand round for an old commitment"
    );
}

#[tokio::test]
async fn a_changed_sealed_file_fails_verification_and_is_not_settled() {
    let s = start().await;
    let Staff {
        ops,
        admin,
        finance,
    } = staff(&s).await;
    let draw = "2098104";
    short_draw(&s, "ssq", draw, now_ms() + 3_600_000);
    sell(
        &s,
        OWN_STATION,
        "ssq",
        draw,
        &["01 02 03 04 05 06 + 07", "07 08 09 10 11 12 + 01"],
    )
    .await;
    wait_for_cutoff().await;
    seal_and_result(&s, &ops, &admin, "ssq", draw, "01 02 03 04 05 06 + 07").await;
    assert!(s.app.verify_seal("ssq", draw).is_ok());
    let path = s.app.sealed_file_path("ssq", draw).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(&path, &bytes).unwrap();
    let err = s.app.verify_seal("ssq", draw).unwrap_err().to_string();
    assert!(err.contains("SHA-256"), "{err}");
    let (st, body) = step(&s, &finance, "ssq", draw, "settle", json!({})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (_, info) = public(&s, &format!("/api/v1/public/draws/ssq/{draw}")).await;
    assert_eq!(info["status"], "resulted", "nothing settled");
}

#[tokio::test]
async fn a_draw_left_half_sealed_by_a_crash_is_finished_by_the_scheduler() {
    let s = start().await;
    let draw = "2098105";
    short_draw(&s, "ssq", draw, now_ms() + 3_600_000);
    sell(&s, OWN_STATION, "ssq", draw, &["01 02 03 04 05 06 + 07"]).await;
    wait_for_cutoff().await;
    // As if the process died after closing the draw and before recording its seal.
    let id = s.app.store().read(|r| r.draw("ssq", draw)).unwrap().id;
    s.app
        .store()
        .write(|tx| {
            tx.advance_draw(
                id,
                fucai_store::DrawStatus::Scheduled,
                fucai_store::DrawStatus::Sealing,
            )
        })
        .unwrap();
    let (_, info) = public(&s, &format!("/api/v1/public/draws/ssq/{draw}")).await;
    assert_eq!(info["status"], "sealing");
    let sealed = s.app.seal_due_draws().await.unwrap();
    assert!(sealed.sealed.contains(&format!("ssq {draw}")), "{sealed:?}");
    let (_, info) = public(&s, &format!("/api/v1/public/draws/ssq/{draw}")).await;
    assert_eq!(info["status"], "sealed");
    assert_eq!(info["seal"]["rows"], 1);
    assert!(s.app.verify_seal("ssq", draw).is_ok());
}

#[tokio::test]
async fn a_draw_that_fails_to_seal_does_not_stop_the_others_and_is_retried() {
    let s = start().await;
    let (blocked, other) = ("2098106", "2098107");
    short_draw(&s, "ssq", blocked, now_ms() + 3_600_000);
    short_draw(&s, "qlc", other, now_ms() + 3_600_000);
    sell(&s, OWN_STATION, "ssq", blocked, &["01 02 03 04 05 06 + 07"]).await;
    sell(&s, OWN_STATION, "qlc", other, &["01 02 03 04 05 06 07"]).await;
    // Something in the way of the first draw's sealed file: its seal cannot be written.
    let seal_dir = s.app.seal_dir().to_path_buf();
    std::fs::create_dir_all(&seal_dir).unwrap();
    let in_the_way = seal_dir.join(format!("ssq-{blocked}.parquet"));
    std::fs::create_dir_all(in_the_way.join("occupied")).unwrap();
    wait_for_cutoff().await;

    let round = s.app.seal_due_draws().await.unwrap();
    assert!(round.sealed.contains(&format!("qlc {other}")), "{round:?}");
    assert!(
        round
            .failed
            .iter()
            .any(|(d, _)| d == &format!("ssq {blocked}")),
        "{round:?}"
    );
    let (_, info) = public(&s, &format!("/api/v1/public/draws/ssq/{blocked}")).await;
    assert_eq!(info["status"], "sealing");

    // Cleared: the next round seals it.
    std::fs::remove_dir_all(&in_the_way).unwrap();
    let round = s.app.seal_due_draws().await.unwrap();
    assert!(round.failed.is_empty(), "{round:?}");
    let (_, info) = public(&s, &format!("/api/v1/public/draws/ssq/{blocked}")).await;
    assert_eq!(info["status"], "sealed");
    assert!(s.app.verify_seal("ssq", blocked).is_ok());
}

#[tokio::test]
async fn after_the_cutoff_a_retry_gets_its_ticket_and_nothing_new_is_sold() {
    let s = start().await;
    let draw = "2098102";
    short_draw(&s, "ssq", draw, now_ms() + 3_600_000);
    let body = json!({"request_id": "kept-1", "game": "ssq", "draw": draw, "selections": ["01 02 03 04 05 06 + 07"]});
    let r = s.sell(OWN_STATION, body.clone()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let sold: Value = r.json().await.unwrap();
    wait_for_cutoff().await;
    let before = (s.ticket_count(), s.entry_count());

    // The terminal never got the answer and retries: the same ticket, nothing charged.
    let r = s.sell(OWN_STATION, body).await;
    assert_eq!(r.status(), StatusCode::OK);
    let replay: Value = r.json().await.unwrap();
    assert_eq!(replay["serial"], sold["serial"]);
    // The same request id for another sale is a conflict; a new request is refused.
    let other = json!({"request_id": "kept-1", "game": "ssq", "draw": draw, "selections": ["01 02 03 04 05 06 + 08"]});
    assert_eq!(
        s.sell(OWN_STATION, other).await.status(),
        StatusCode::CONFLICT
    );
    let late = json!({"request_id": "late-1", "game": "ssq", "draw": draw, "selections": ["01 02 03 04 05 06 + 07"]});
    assert_eq!(
        s.sell(OWN_STATION, late).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!((s.ticket_count(), s.entry_count()), before);
    assert!(s.ledger_ok());
}
