//! Draw steps over HTTP: short draws, sales, the people who run a draw, seal and result.

use std::time::Duration;

use fucai_app::now_ms;
use fucai_app::{Principal, Role};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{Server, Session, OWN_STATION};

/// Seconds between now and a test draw's cutoff.
pub const CUTOFF_S: i64 = 2;

/// A draw of `game` on sale now that closes in [`CUTOFF_S`] seconds; `draw_at` is its draw
/// time (it decides the tax rule and the claim period).
pub fn short_draw(s: &Server, game: &str, number: &str, draw_at: i64) {
    let now = now_ms();
    s.app
        .store()
        .write(|tx| {
            tx.insert_draw(
                game,
                number,
                now - 3_600_000,
                now + CUTOFF_S * 1000,
                draw_at,
            )
            .map(|_| ())
        })
        .unwrap();
}

pub async fn wait_for_cutoff() {
    tokio::time::sleep(Duration::from_millis(CUTOFF_S as u64 * 1000 + 300)).await;
}

pub async fn sell(s: &Server, station: &str, game: &str, draw: &str, lines: &[&str]) -> Value {
    let r = s
        .sell(
            station,
            json!({"request_id": format!("r-{}", rand_id()), "game": game, "draw": draw, "selections": lines}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}

pub fn rand_id() -> String {
    fucai_app::random_token(8)
}

pub async fn post(s: &Server, who: &Session, path: &str, body: Value) -> (StatusCode, Value) {
    post_with(s, s.session_headers(who), path, body).await
}

/// POST JSON with these headers; the answer's status and JSON body (null when none).
async fn post_with(s: &Server, headers: HeaderMap, path: &str, body: Value) -> (StatusCode, Value) {
    let r = s
        .client
        .post(s.url(path))
        .headers(headers)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The people who run a draw, signed in.
pub struct Staff {
    pub ops: Session,
    pub admin: Session,
    pub finance: Session,
}

pub async fn staff(s: &Server) -> Staff {
    Staff {
        ops: s.login(Role::Operations).await,
        admin: s.login(Role::Admin).await,
        finance: s.login(Role::Finance).await,
    }
}

/// POST to one of a draw's routes (`seal`, `result`, `settle` …).
pub async fn step(
    s: &Server,
    who: &Session,
    game: &str,
    draw: &str,
    verb: &str,
    body: Value,
) -> (StatusCode, Value) {
    post(s, who, &format!("/api/v1/draws/{game}/{draw}/{verb}"), body).await
}

/// POST JSON as a station's terminal.
pub async fn post_with_terminal(
    s: &Server,
    station: &str,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    post_with(s, s.terminal(station), path, body).await
}

pub async fn claim_at_station(s: &Server, station: &str, body: Value) -> (StatusCode, Value) {
    post_with(s, s.terminal(station), "/api/v1/claims", body).await
}

pub async fn public(s: &Server, path: &str) -> (StatusCode, Value) {
    let r = s.client.get(s.url(path)).send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

pub fn ticket(v: &Value) -> (String, String) {
    (
        v["serial"].as_str().unwrap().to_string(),
        v["verification_code"].as_str().unwrap().to_string(),
    )
}

pub fn principal(s: &Server, role: Role) -> Principal {
    let (u, p) = s.password(role);
    s.app.authenticate(&u, &p).unwrap()
}

/// Seals and enters the official result by two people.
pub async fn seal_and_result(
    s: &Server,
    ops: &Session,
    admin: &Session,
    game: &str,
    draw: &str,
    result: &str,
) {
    let (st, seal) = post(
        s,
        ops,
        &format!("/api/v1/draws/{game}/{draw}/seal"),
        json!({}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{seal}");
    let path = format!("/api/v1/draws/{game}/{draw}/result");
    let (st, _) = post(s, ops, &path, json!({"numbers": result})).await;
    assert_eq!(st, StatusCode::ACCEPTED);
    let (st, body) = post(s, admin, &path, json!({"numbers": result})).await;
    assert_eq!(st, StatusCode::OK, "{body}");
}

/// Sells `tickets` at the own station on a new short draw, then seals it after the cutoff,
/// records `result` by two people and settles it; returns the tickets.
pub async fn settled_draw(
    s: &Server,
    staff: &Staff,
    game: &str,
    draw: &str,
    tickets: &[&[&str]],
    result: &str,
) -> Vec<Value> {
    short_draw(s, game, draw, now_ms() + 3_600_000);
    let mut sold = Vec::new();
    for lines in tickets {
        sold.push(sell(s, OWN_STATION, game, draw, lines).await);
    }
    wait_for_cutoff().await;
    seal_and_result(s, &staff.ops, &staff.admin, game, draw, result).await;
    let (st, ann) = step(s, &staff.finance, game, draw, "settle", json!({})).await;
    assert_eq!(st, StatusCode::OK, "{ann}");
    sold
}

/// The 双色球 draw the public-page tests show: settled, with a winning ticket first.
pub const PUBLIC_DRAW: &str = "2098201";

/// Settles [`PUBLIC_DRAW`] with two tickets: the first wins 三等奖 twice (6,000元), the second
/// nothing.
pub async fn settled_public_draw(s: &Server, staff: &Staff) -> Vec<Value> {
    settled_draw(
        s,
        staff,
        "ssq",
        PUBLIC_DRAW,
        &[&["01 02 03 04 05 06 + 07 x 2"], &["08 09 10 11 12 13 + 01"]],
        "01 02 03 04 05 09 + 07",
    )
    .await
}

/// A valid 身份证号 (checksum and birth date) of someone born 1970-01-01 in 武进区.
pub fn id_number(seq: u16) -> String {
    fucai_app::demo::id_number(
        "320412",
        chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap(),
        seq,
    )
}
