//! Station money over HTTP: a sale refused at the credit limit and accepted after a partial
//! remittance, the statement equal to a hand computation and to the ledger, commission
//! deducted at source, the overdue list, and who may read which statement.

mod common;

use common::draws::{post, rand_id};
use common::{error_code, start, Server, OTHER_STATION, OWN_STATION};
use fucai_app::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn sell(s: &Server) -> reqwest::Response {
    let draw = s.open_draw("ssq").await;
    s.sell(
        OWN_STATION,
        json!({"request_id": rand_id(), "game": "ssq", "draw": draw, "selections": ["1 2 3 4 5 6 + 7"]}),
    )
    .await
}

fn today() -> String {
    fucai_app::beijing_date(fucai_app::now_ms()).to_string()
}

async fn statement(s: &Server, who: &common::Session) -> Value {
    let day = today();
    s.get_json(
        &format!("/api/v1/stations/{OWN_STATION}/statement?from={day}&to={day}"),
        who,
    )
    .await
}

#[tokio::test]
async fn the_credit_limit_stops_sales_until_a_remittance_and_the_statement_adds_up() {
    let s = start().await;
    let finance = s.login(Role::Finance).await;
    let owner = s.login(Role::StationOwner).await;
    let before = statement(&s, &finance).await;
    let opening = before["opening_fen"].as_i64().unwrap();
    assert_eq!(
        before["closing_fen"].as_i64().unwrap(),
        opening,
        "nothing moved today yet"
    );

    // Owing what it owes now plus 10元: five 2元 tickets, not six.
    let limit = format!("{}.{:02}", (opening + 1000) / 100, (opening + 1000) % 100);
    let (status, body) = post(
        &s,
        &finance,
        &format!("/api/v1/stations/{OWN_STATION}/terms"),
        json!({"credit_limit": limit, "remit_days": 7}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut serials = Vec::new();
    for _ in 0..5 {
        let r = sell(&s).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        serials.push(
            r.json::<Value>().await.unwrap()["serial"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let (tickets, entries) = (s.ticket_count(), s.entry_count());
    let (status, code, message) = error_code(sell(&s).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "refused")
    );
    assert!(message.contains("credit limit"), "{message}");
    assert_eq!(
        (s.ticket_count(), s.entry_count()),
        (tickets, entries),
        "nothing written"
    );

    // A partial remittance of 4元 makes room for two more tickets.
    let (status, body) = post(&s, &finance, "/api/v1/remittances", json!({"station": OWN_STATION, "amount": "4.00", "method": "transfer", "reference": "网银 0001", "paid_on": today()})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["amount_fen"], 400);
    assert_eq!(sell(&s).await.status(), StatusCode::CREATED);
    // More than it owes is refused.
    let (status, _) = post(&s, &finance, "/api/v1/remittances", json!({"station": OWN_STATION, "amount": "999999999", "method": "cash", "paid_on": today()})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = post(
        &s,
        &finance,
        "/api/v1/remittances",
        json!({"station": OWN_STATION, "amount": "1", "method": "cheque", "paid_on": today()}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("method"))
    );

    // One ticket cancelled by its terminal.
    let r = s
        .client
        .post(s.url(&format!("/api/v1/tickets/{}/cancel", serials[0])))
        .headers(s.terminal(OWN_STATION))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // By hand: sold 6 × 2元 = 12元, cancelled 2元, remitted 4元: closing = opening + 6元.
    // Commission 7% of each 2元 ticket = 0.14元: 6 sold − 1 cancelled = 0.70元.
    let st = statement(&s, &finance).await;
    assert_eq!(
        (
            &st["sales_fen"],
            &st["cancels_fen"],
            &st["remittances_fen"],
            &st["prizes_paid_fen"],
            &st["closing_fen"]
        ),
        (
            &json!(1200),
            &json!(200),
            &json!(400),
            &json!(0),
            &json!(opening + 600)
        ),
        "{st}"
    );
    assert_eq!(st["commission_earned_fen"], 70);
    assert_eq!(st["remittance_lines"][0]["reference"], "网银 0001");
    // And the ledger agrees: the receivable's balance is the closing.
    let receivable = format!("station/{OWN_STATION}/receivable");
    assert_eq!(s.balance(&receivable, &finance).await, st["closing_fen"]);

    // Commission deducted at source: what the station owes drops by what it earned.
    let (status, body) = post(
        &s,
        &finance,
        &format!("/api/v1/stations/{OWN_STATION}/commission"),
        json!({"deduct_at_source": true}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let settled = body["settled_fen"].as_i64().unwrap();
    let after = statement(&s, &finance).await;
    assert_eq!(after["commission_deducted_fen"].as_i64().unwrap(), settled);
    assert_eq!(
        after["closing_fen"].as_i64().unwrap(),
        opening + 600 - settled
    );
    assert_eq!(after["commission_closing_fen"], 0);
    let (status, _) = post(
        &s,
        &finance,
        &format!("/api/v1/stations/{OWN_STATION}/commission"),
        json!({"deduct_at_source": false}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nothing left to settle"
    );
    assert!(s.ledger_ok());

    // The owner reads their own statement (also printable and as a spreadsheet), not another's.
    let own = statement(&s, &owner).await;
    assert_eq!(own["closing_fen"], after["closing_fen"]);
    let day = today();
    let page = s
        .get_text(
            &format!("/api/v1/stations/{OWN_STATION}/statement?from={day}&to={day}&format=html"),
            &owner,
        )
        .await;
    assert!(
        page.contains("站点对账单") && page.contains("期末应缴") && page.contains("网银 0001"),
        "{page}"
    );
    let xlsx = s
        .get_bytes(
            &format!("/api/v1/stations/{OWN_STATION}/statement?from={day}&to={day}&format=xlsx"),
            &owner,
        )
        .await;
    assert_eq!(&xlsx[..2], b"PK");
    let r = s
        .client
        .get(s.url(&format!(
            "/api/v1/stations/{OTHER_STATION}/statement?from={day}&to={day}"
        )))
        .headers(s.session_headers(&owner))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn takings_older_than_the_days_to_remit_are_overdue_until_remitted() {
    let s = start().await;
    let finance = s.login(Role::Finance).await;
    // Upstream sales of a day in 2019, reported today: owed since that day, so overdue.
    s.daily_sales(&finance, &[("2019-01-05", OWN_STATION, "ssq", 1234)])
        .await;
    let overdue = s.get_json("/api/v1/remittances/overdue", &finance).await;
    let own = |list: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|o| o["station"] == OWN_STATION)
            .cloned()
    };
    let line = own(&overdue).expect("the own station owes old takings");
    let owed = line["owed_fen"].as_i64().unwrap();
    assert_eq!(
        line["overdue_fen"].as_i64().unwrap(),
        owed,
        "none of it recent"
    );
    assert_eq!(line["remit_days"], 7);

    // Today's sale is owed but not overdue; a partial remittance pays the oldest first.
    assert_eq!(sell(&s).await.status(), StatusCode::CREATED);
    let paid = owed / 2;
    let amount = format!("{}.{:02}", paid / 100, paid % 100);
    let (status, _) = post(&s, &finance, "/api/v1/remittances", json!({"station": OWN_STATION, "amount": amount, "method": "bank_debit", "paid_on": today()})).await;
    assert_eq!(status, StatusCode::CREATED);
    let line = own(&s.get_json("/api/v1/remittances/overdue", &finance).await).unwrap();
    assert_eq!(line["owed_fen"].as_i64().unwrap(), owed + 200 - paid);
    assert_eq!(line["overdue_fen"].as_i64().unwrap(), owed - paid);

    // Paid up to today's takings: off the list.
    let rest = owed - paid;
    let amount = format!("{}.{:02}", rest / 100, rest % 100);
    post(
        &s,
        &finance,
        "/api/v1/remittances",
        json!({"station": OWN_STATION, "amount": amount, "method": "transfer", "paid_on": today()}),
    )
    .await;
    assert!(own(&s.get_json("/api/v1/remittances/overdue", &finance).await).is_none());
}

#[tokio::test]
async fn the_periodic_bank_debit_takes_what_each_station_with_an_agreement_owes() {
    let s = start().await;
    let finance = s.login(Role::Finance).await;
    let (status, _) = post(
        &s,
        &finance,
        &format!("/api/v1/stations/{OWN_STATION}/terms"),
        json!({"credit_limit": "100000", "remit_days": 7}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for _ in 0..3 {
        assert_eq!(sell(&s).await.status(), StatusCode::CREATED);
    }
    // Another station owes too but has no agreement: it is not debited.
    s.daily_sales(&finance, &[("2019-01-05", OTHER_STATION, "ssq", 100)])
        .await;
    let (status, body) = post(
        &s,
        &finance,
        "/api/v1/remittances/bank-debit",
        json!({"on": today()}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body.as_array().unwrap().len(), 1);
    assert_eq!(
        (
            body[0]["station"].as_str(),
            body[0]["amount_fen"].as_i64(),
            body[0]["method"].as_str()
        ),
        (Some(OWN_STATION), Some(600), Some("bank_debit"))
    );
    assert_eq!(
        s.balance(&format!("station/{OWN_STATION}/receivable"), &finance)
            .await,
        0
    );
    assert_eq!(
        s.balance(&format!("station/{OTHER_STATION}/receivable"), &finance)
            .await,
        10_000
    );
    let (status, body) = post(
        &s,
        &finance,
        "/api/v1/remittances/bank-debit",
        json!({"on": today()}),
    )
    .await;
    assert_eq!(
        (status, body.as_array().map(Vec::len)),
        (StatusCode::OK, Some(0)),
        "nothing left to debit"
    );
    assert!(s.ledger_ok());
}
