//! 中福在线 halls over HTTP: the register, daily closes checked and posted all-or-nothing, a
//! hall-day once and in order, a correction reversed and kept, and sales by channel from the
//! ledger equal to their parts.

mod common;

use common::*;
use fucai_app::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

const HALLS: &str =
    "code,name,station,address,terminals,opening_hours,status,opening_card_balance\n\
H1,湖塘中福在线销售厅,32041201001,湖塘镇花园街1号,20,09:00-22:00,open,2000.00\n";

const HEADER: &str = "date,hall,wagered,prizes,top_ups,cash_outs,card_balance,terminals_online\n";

/// Three days that add up: 充值 − 兑付 = 投注额 − 中奖额 + the change in card balances
/// (2,000.00 → 2,900.00 → 2,600.00 → 2,300.00).
const DAYS: &str = "2019-03-01,H1,9000.00,5900.00,10000.00,6000.00,2900.00,18\n\
2019-03-02,H1,12000.00,7700.00,11000.00,7000.00,2600.00,20\n\
2019-03-03,H1,8000.00,5200.00,6000.00,3500.00,2300.00,19\n";

async fn import(
    s: &Server,
    who: &Session,
    path: &str,
    rows: &str,
    header: &str,
) -> (StatusCode, Value) {
    let r = s.upload(path, who, format!("{header}{rows}")).await;
    let status = r.status();
    (status, r.json().await.unwrap())
}

fn columns(report: &Value) -> Vec<String> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["column"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn hall_closes_are_checked_posted_once_and_corrected_with_both_kept() {
    let s = start().await;
    let admin = s.login(Role::Admin).await;
    let finance = s.login(Role::Finance).await;
    let (st, r) = import(&s, &admin, "/api/v1/halls/import", HALLS, "").await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let halls = s.get_json("/api/v1/halls", &finance).await;
    assert_eq!(halls[0]["station"], OWN_STATION);
    assert_eq!(halls[0]["opening_card_balance_fen"], 200_000);

    // One bad row, or money that does not add up: nothing imported.
    let entries = s.entry_count();
    let bad_row = format!("{DAYS}2019-03-04,H9,1.00,0.00,1.00,0.00,2300.00,1\n");
    let (st, r) = import(&s, &finance, "/api/v1/hall-days/import", &bad_row, HEADER).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    assert_eq!(columns(&r), ["hall"]);
    let off_by_a_fen = DAYS.replace("2600.00,20", "2600.01,20");
    let (st, r) = import(
        &s,
        &finance,
        "/api/v1/hall-days/import",
        &off_by_a_fen,
        HEADER,
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    assert_eq!(r["errors"][0]["row"], 2);
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("充值 − 兑付"),
        "{r}"
    );
    let too_many_terminals = DAYS.replace("2900.00,18", "2900.00,21");
    let (st, r) = import(
        &s,
        &finance,
        "/api/v1/hall-days/import",
        &too_many_terminals,
        HEADER,
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    assert_eq!(columns(&r), ["terminals_online"]);
    assert_eq!(s.entry_count(), entries, "nothing posted");
    let report = |from: &'static str, to: &'static str| {
        let (s, finance) = (&s, &finance);
        async move {
            s.get_json(
                &format!("/api/v1/halls/H1/days?from={from}&to={to}"),
                finance,
            )
            .await
        }
    };
    assert_eq!(report("2019-03-01", "2019-03-31").await["days"], json!([]));

    let (st, r) = import(&s, &finance, "/api/v1/hall-days/import", DAYS, HEADER).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["imported"], 3);
    assert!(s.ledger_ok());
    // A hall-day once, and in date order.
    let again = "2019-03-03,H1,0.00,0.00,0.00,0.00,2300.00,0\n";
    let (st, r) = import(&s, &finance, "/api/v1/hall-days/import", again, HEADER).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    assert_eq!(columns(&r), ["date"]);
    let earlier = "2019-02-28,H1,0.00,0.00,0.00,0.00,2000.00,0\n";
    let (st, _) = import(&s, &finance, "/api/v1/hall-days/import", earlier, HEADER).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    // Not for operations.
    let ops = s.login(Role::Operations).await;
    let (st, _) = import(&s, &ops, "/api/v1/hall-days/import", DAYS, HEADER).await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    let r = report("2019-03-01", "2019-03-31").await;
    assert_eq!(r["wagered_fen"], 2_900_000);
    assert_eq!(r["prizes_fen"], 1_880_000);
    assert_eq!(r["closing_card_balance_fen"], 230_000);
    // What the cards hold beyond the opening balance is owed to players (a credit, negative
    // as the ledger signs it).
    assert_eq!(
        s.balance("hall/H1/card_balance", &finance).await,
        -(230_000 - 200_000)
    );

    // A correction: a day before the latest may not change its closing balances …
    let path = "/api/v1/halls/H1/days/2019-03-02/correction";
    let body = |balance: &str| {
        json!({"wagered": "12500.00", "prizes": "8200.00", "top_ups": "11000.00",
               "cash_outs": "7000.00", "card_balance": balance, "terminals_online": 20})
    };
    let (st, e) = common::draws::post(&s, &finance, path, body("2700.00")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["error"]["field"], "card_balance");
    // … and must add up; this one does (the same net play).
    let (st, fixed) = common::draws::post(&s, &finance, path, body("2600.00")).await;
    assert_eq!(st, StatusCode::OK, "{fixed}");
    assert_eq!(fixed["revision"], 2);
    assert!(
        s.ledger_ok(),
        "balanced after the reversal and the new entry"
    );
    let r = report("2019-03-01", "2019-03-31").await;
    assert_eq!(r["wagered_fen"], 2_950_000);
    assert_eq!(r["superseded"][0]["revision"], 1);
    assert_eq!(r["superseded"][0]["wagered_fen"], 1_200_000);
    assert_eq!(r["days"][1]["revision"], 2);
    let csv = s
        .get_text(
            "/api/v1/halls/H1/days?from=2019-03-01&to=2019-03-31&format=csv",
            &finance,
        )
        .await;
    assert!(csv.contains("2019-03-02,1,已更正,12000.00"), "{csv}");
    assert!(csv.contains("2019-03-02,2,有效,12500.00"), "{csv}");
    assert!(csv.contains("合计,,,29500.00"), "{csv}");
    let check = s.get_json("/api/v1/ledger/verify", &finance).await;
    assert_eq!(check["ok"], true, "{check}");
    assert_eq!(check["hall_sales_total_fen"], 2_950_000);
    assert_eq!(check["hall_sales_postings_fen"], 2_950_000);
    let (st, _) = common::draws::post(
        &s,
        &finance,
        "/api/v1/halls/H1/days/2019-03-09/correction",
        body("2600.00"),
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "no close to correct");

    // Sales by channel: the draw games' daily sales and the hall's closes, each from the
    // ledger, and their sum.
    s.daily_sales(
        &finance,
        &[
            ("2019-03-01", OWN_STATION, "ssq", 4_000),
            ("2019-03-02", OWN_STATION, "fc3d", 1_000),
        ],
    )
    .await;
    let sales = s
        .get_json(
            "/api/v1/reports/sales-by-channel?from=2019-03-01&to=2019-03-31",
            &finance,
        )
        .await;
    assert_eq!(sales["computer_fen"], 500_000);
    assert_eq!(sales["vlt_fen"], 2_950_000);
    assert_eq!(sales["total_fen"], 3_450_000);
    let first_day = s
        .get_json(
            "/api/v1/reports/sales-by-channel?from=2019-03-01&to=2019-03-01",
            &finance,
        )
        .await;
    assert_eq!(first_day["vlt_fen"], 900_000);
    assert_eq!(first_day["computer_fen"], 400_000);

    // The sales report: by channel, with the same month a year earlier.
    s.daily_sales(&finance, &[("2018-03-01", OWN_STATION, "ssq", 2_000)])
        .await;
    let report = s
        .get_json(
            "/api/v1/reports/sales?from=2019-03-01&to=2019-03-31&by=channel",
            &finance,
        )
        .await;
    assert_eq!(
        report["rows"],
        json!([
            {"channel": "computer", "amount_fen": 500_000, "last_year_fen": 200_000, "growth_permille": 1500},
            {"channel": "vlt", "amount_fen": 2_950_000, "last_year_fen": 0, "growth_permille": null},
        ])
    );
    assert_eq!(
        report["total_fen"], sales["total_fen"],
        "the ledger's channel totals agree"
    );
    let by_day = s
        .get_text(
            "/api/v1/reports/sales?from=2019-03-01&to=2019-03-02&by=day,channel,game&format=csv",
            &finance,
        )
        .await;
    assert!(
        by_day.contains("2019-03-01,computer,ssq,4000.00,2000.00,100.0%"),
        "{by_day}"
    );
    assert!(
        by_day.contains("2019-03-02,vlt,vlt,12500.00,0.00,"),
        "{by_day}"
    );
    assert!(
        by_day.contains("合计,,,26500.00,2000.00,1225.0%"),
        "{by_day}"
    );
    let (st, e) =
        common::draws::public(&s, "/api/v1/reports/sales?from=2019-03-01&to=2019-03-31").await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "{e}");
    assert!(s.ledger_ok());
}
