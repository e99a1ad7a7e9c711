//! 即开票 over HTTP: the winner file (its SHA-256 published), the packs' lifecycle with every
//! move checked, prizes paid only from activated or settled packs in the winner file with the
//! right 保安区 code — once, under concurrent validations — a changed winner file paying
//! nothing, settlement by the share of low-tier winners, and the ledger reconciling.

mod common;

use common::draws::{post_with_terminal, public};
use common::instant::*;
use common::*;
use fucai_app::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn pack(n: u32) -> String {
    format!("HY10-190001-{n:04}")
}

fn ticket(pack_no: u32, t: u32) -> String {
    format!("HY10-190001-{pack_no:04}-{t:03}")
}

async fn claim(s: &Server, station: &str, ticket: &str, code: &str) -> (StatusCode, Value) {
    post_with_terminal(
        s,
        station,
        "/api/v1/instant/claims",
        json!({"ticket": ticket, "code": code}),
    )
    .await
}

/// Imports HY10 batch 190001's winner file; answers the fixture.
async fn imported(s: &Server, ops: &Session) -> WinnerFile {
    let f = winner_file("HY10", 100, 20, 50);
    let r = s
        .upload(
            "/api/v1/instant/batches/HY10/190001/winners",
            ops,
            f.csv.clone(),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    f
}

#[tokio::test]
async fn the_winner_file_is_checked_and_its_hash_published() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let f = winner_file("HY10", 100, 20, 50);
    // One winner left out: the first prize group no longer has the game's structure.
    let mut lines: Vec<&str> = f.csv.lines().collect();
    lines.remove(100);
    let r = s
        .upload(
            "/api/v1/instant/batches/HY10/190001/winners",
            &ops,
            lines.join("\n"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let e: Value = r.json().await.unwrap();
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("prize group 1"),
        "{e}"
    );
    let r = s
        .upload(
            "/api/v1/instant/batches/HY10/190009/winners",
            &ops,
            f.csv.clone(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "no such batch");

    let r = s
        .upload(
            "/api/v1/instant/batches/HY10/190001/winners",
            &ops,
            f.csv.clone(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let batch: Value = r.json().await.unwrap();
    let sha = hex::encode(Sha256::digest(f.csv.as_bytes()));
    assert_eq!(batch["winner_sha256"], sha);
    assert_eq!(batch["winners"], 662);
    assert_eq!(batch["prizes_fen"], 2 * 650_000, "6,500.00元 a group");
    let r = s
        .upload(
            "/api/v1/instant/batches/HY10/190001/winners",
            &ops,
            f.csv.clone(),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CONFLICT,
        "a batch's winner file once"
    );
    let (_, prizes) = public(&s, "/api/v1/public/instant/prizes").await;
    assert_eq!(prizes[0]["winner_sha256"], sha);
    assert_eq!(
        prizes[0]["prizes"][0],
        json!({"amount_fen": 50_000, "winners": 2, "paid": 0, "left": 2})
    );
    let page = s.get_public_text("/instant").await;
    assert!(page.contains(&sha) && page.contains("好运十倍"), "{page}");
    let records = s
        .app
        .store()
        .read(|r| r.audit_records("instant.winner_file", "HY10/190001"))
        .unwrap();
    assert_eq!(records.len(), 1);
    assert!(records[0].object.contains(&sha));
}

#[tokio::test]
async fn packs_move_one_step_at_a_time_and_only_their_station_handles_them() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let finance = s.login(Role::Finance).await;
    let (st, _) = scan(&s, &ops, "receive", &[&pack(1)], None).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "no winner file yet");
    imported(&s, &ops).await;
    let (st, _) = scan(&s, &ops, "issue", &[&pack(1)], Some(OWN_STATION)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "not received yet");
    let six: Vec<String> = (1..=6).map(pack).collect();
    let six: Vec<&str> = six.iter().map(String::as_str).collect();
    let (st, r) = scan(&s, &ops, "receive", &six, None).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let (st, _) = scan(&s, &ops, "issue", &[&pack(4)], None).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "issue names a station");
    let (st, _) = scan(&s, &finance, "issue", &[&pack(4)], Some(OWN_STATION)).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let issued = [pack(1), pack(2), pack(3), pack(5), pack(6)];
    let issued: Vec<&str> = issued.iter().map(String::as_str).collect();
    // The station orders five packs (订票); they are issued against the order.
    let (st, order) = post_with_terminal(
        &s,
        OWN_STATION,
        "/api/v1/instant/orders",
        json!({"station": OWN_STATION, "game": "HY10", "packs": 5}),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{order}");
    let (st, _) = post_with_terminal(
        &s,
        OTHER_STATION,
        "/api/v1/instant/orders",
        json!({"station": OWN_STATION, "game": "HY10", "packs": 5}),
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "a station orders for itself");
    let issue =
        |packs: &[&str]| json!({"packs": packs, "station": OWN_STATION, "order": order["id"]});
    let (st, e) = common::draws::post(&s, &ops, "/api/v1/instant/scans/issue", issue(&six)).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "six is more than ordered: {e}");
    assert_eq!(e["error"]["field"], "order");
    let (st, _) =
        common::draws::post(&s, &ops, "/api/v1/instant/scans/issue", issue(&issued)).await;
    assert_eq!(st, StatusCode::OK);
    let orders = s.get_json("/api/v1/instant/orders", &ops).await;
    assert_eq!(orders[0]["issued"], 5);
    let (st, _) = scan_at(&s, OWN_STATION, "activate", &[&pack(1)]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "not confirmed yet");
    let (st, _) = scan_at(&s, OTHER_STATION, "confirm", &[&pack(1)]).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "another station's pack");
    // All or none: pack 4 is at the center, so nothing is confirmed.
    let (st, _) = scan_at(&s, OWN_STATION, "confirm", &[&pack(1), &pack(4)]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let p1 = s
        .get_json(&format!("/api/v1/instant/packs/{}", pack(1)), &ops)
        .await;
    assert_eq!(p1["state"], "to_station", "nothing moved");
    let (st, _) = scan_at(
        &s,
        OWN_STATION,
        "confirm",
        &[&pack(1), &pack(2), &pack(5), &pack(6)],
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    // Pack 3 never arrived: the station reports it, and it is held.
    let (st, _) = scan_at(&s, OWN_STATION, "hold", &[&pack(3)]).await;
    assert_eq!(st, StatusCode::OK);
    let (st, r) = scan_at(&s, OWN_STATION, "activate", &[&pack(1), &pack(6)]).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(
        r["sales_fen"],
        2 * 20_000,
        "HY10 recognises sales on activation"
    );
    let (st, _) = scan_at(&s, OWN_STATION, "activate", &[&pack(1)]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "no activation twice");
    let (st, _) = scan_at(&s, OTHER_STATION, "activate", &[&pack(5)]).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "nor at another station");
    let (st, _) = scan(&s, &ops, "return", &[&pack(1)], None).await;
    assert_eq!(
        st,
        StatusCode::UNPROCESSABLE_ENTITY,
        "only whole packs go back"
    );
    let (st, _) = scan(&s, &ops, "return", &[&pack(2)], None).await;
    assert_eq!(st, StatusCode::OK);

    let p1 = s
        .get_json(&format!("/api/v1/instant/packs/{}", pack(1)), &ops)
        .await;
    assert_eq!(p1["state"], "activated");
    let moves: Vec<&str> = p1["moves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        moves,
        ["at_center", "to_station", "at_station", "activated"]
    );
    let stock = s.get_json("/api/v1/instant/stock", &ops).await;
    assert_eq!(stock["consistent"], true, "{stock}");
    let count = |station: Option<&str>, state: &str| {
        stock["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["station"].as_str() == station && r["state"] == state)
            .map_or(0, |r| r["packs"].as_i64().unwrap())
    };
    assert_eq!(count(Some(OWN_STATION), "activated"), 2);
    assert_eq!(count(Some(OWN_STATION), "at_station"), 1);
    assert_eq!(count(Some(OWN_STATION), "held"), 1);
    assert_eq!(count(None, "at_center"), 1);
    assert_eq!(count(None, "returned"), 1);
    assert_eq!(count(None, "in_transit"), 94);
    assert!(s.ledger_ok());
}

#[tokio::test]
async fn a_prize_is_paid_once_only_from_an_activated_pack_in_the_winner_file() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let finance = s.login(Role::Finance).await;
    let f = imported(&s, &ops).await;
    let packs: Vec<String> = [1, 2, 3, 5, 6].map(pack).to_vec();
    let packs: Vec<&str> = packs.iter().map(String::as_str).collect();
    scan(&s, &ops, "receive", &packs, None).await;
    scan(&s, &ops, "issue", &packs, Some(OWN_STATION)).await;
    scan_at(&s, OWN_STATION, "confirm", &packs).await;
    let on_sale = [pack(1), pack(3), pack(5), pack(6)];
    let on_sale: Vec<&str> = on_sale.iter().map(String::as_str).collect();
    let (st, _) = scan_at(&s, OWN_STATION, "activate", &on_sale).await;
    assert_eq!(st, StatusCode::OK);
    let code = |p: u32, t: u32| f.winners[&(p, t)].0.clone();

    // Refused with nothing written: a wrong code, a loser, a pack not on sale, a pack never
    // issued, a stolen pack.
    let entries = s.entry_count();
    let (st, e) = claim(&s, OWN_STATION, &ticket(1, 1), "00000000").await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["error"]["field"], "code");
    let (st, _) = claim(&s, OWN_STATION, &ticket(1, 2), "12345678").await;
    assert_eq!(
        st,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not in the winner file"
    );
    let (st, _) = claim(&s, OWN_STATION, &ticket(2, 2), &code(2, 2)).await;
    assert_eq!(
        st,
        StatusCode::UNPROCESSABLE_ENTITY,
        "confirmed, not activated"
    );
    let (st, _) = claim(&s, OWN_STATION, &ticket(7, 1), &code(7, 1)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "a pack never issued");
    scan(&s, &ops, "block", &[&pack(5)], None).await;
    let (st, _) = claim(&s, OWN_STATION, &ticket(5, 14), &code(5, 14)).await;
    assert_eq!(
        st,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a stolen pack's tickets never win"
    );
    let (st, _) = claim(&s, OTHER_STATION, &ticket(1, 1), &code(1, 1)).await;
    assert_eq!(
        st,
        StatusCode::UNPROCESSABLE_ENTITY,
        "本站自兑: not sold there"
    );
    assert_eq!(s.entry_count(), entries);

    // A changed winner file pays nothing until it is restored.
    let dir = s.app.winner_dir();
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let original = std::fs::read(&file).unwrap();
    std::fs::write(&file, format!("{}1,2,12345678,500.00\n", f.csv)).unwrap();
    let (st, e) = claim(&s, OWN_STATION, &ticket(1, 2), "12345678").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["error"]["message"].as_str().unwrap().contains("SHA-256"),
        "{e}"
    );
    std::fs::write(&file, original).unwrap();

    // Sixteen validations of one winning ticket at once: one payment.
    let (first, first_code) = (ticket(1, 1), code(1, 1));
    let attempts = (0..16).map(|_| claim(&s, OWN_STATION, &first, &first_code));
    let outcomes = futures::future::join_all(attempts).await;
    let paid: Vec<&Value> = outcomes
        .iter()
        .filter(|(st, _)| *st == StatusCode::OK)
        .map(|(_, v)| v)
        .collect();
    assert_eq!(paid.len(), 1, "{outcomes:?}");
    assert_eq!(paid[0]["prize_fen"], 50_000);
    assert_eq!(paid[0]["office"], "station");
    assert_eq!(
        outcomes
            .iter()
            .filter(|(st, _)| *st == StatusCode::CONFLICT)
            .count(),
        15
    );

    // Pack 6's low-tier winners (20元, six of them): half paid settles it.
    for (i, t) in [3, 6, 9].into_iter().enumerate() {
        let (st, r) = claim(&s, OWN_STATION, &ticket(6, t), &code(6, t)).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(r["pack_settled"], i == 2, "{r}");
    }
    let p6 = s
        .get_json(&format!("/api/v1/instant/packs/{}", pack(6)), &ops)
        .await;
    assert_eq!(p6["state"], "settled");
    let (st, _) = claim(&s, OWN_STATION, &ticket(6, 12), &code(6, 12)).await;
    assert_eq!(
        st,
        StatusCode::OK,
        "a settled pack's tickets are still paid"
    );

    // Prizes left, the ledger and sales by channel.
    let (_, prizes) = public(&s, "/api/v1/public/instant/prizes").await;
    assert_eq!(prizes[0]["prizes"][0]["paid"], 1);
    assert_eq!(prizes[0]["prizes"][0]["left"], 1);
    let check = s.get_json("/api/v1/ledger/verify", &finance).await;
    assert_eq!(check["ok"], true, "{check}");
    assert_eq!(check["instant_sales_total_fen"], 4 * 20_000);
    assert_eq!(check["instant_prizes_total_fen"], 50_000 + 4 * 2_000);
    assert_eq!(check["instant_prize_postings_fen"], 50_000 + 4 * 2_000);
    let today = fucai_app::beijing_date(fucai_app::now_ms());
    let sales = s
        .get_json(
            &format!("/api/v1/reports/sales-by-channel?from={today}&to={today}"),
            &finance,
        )
        .await;
    assert_eq!(sales["instant_fen"], 4 * 20_000);
    let by_day = s
        .get_json(
            &format!("/api/v1/instant/sales?from={today}&to={today}"),
            &finance,
        )
        .await;
    assert_eq!(
        by_day,
        json!([{"station": OWN_STATION, "game": "HY10", "date": today.to_string(), "packs": 4, "sales_fen": 80_000}])
    );
    let csv = s
        .get_text(
            &format!("/api/v1/instant/sales?from={today}&to={today}&format=csv"),
            &finance,
        )
        .await;
    assert!(
        csv.contains(&format!("{today},{OWN_STATION},HY10,4,800.00")),
        "{csv}"
    );
    assert_eq!(
        sales["total_fen"].as_i64(),
        Some(
            ["computer_fen", "instant_fen", "vlt_fen"]
                .iter()
                .map(|k| sales[k].as_i64().unwrap())
                .sum()
        )
    );
    // The station earns 1% of the prizes it paid, beside its 7% on sales.
    assert_eq!(
        s.balance(&format!("station/{OWN_STATION}/commission"), &finance)
            .await,
        -(4 * 1_400 + 580)
    );
}
