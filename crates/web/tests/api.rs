//! The sales API through HTTP against a real database file.

mod common;

use common::{error_code, start, OTHER_STATION, OWN_STATION};
use fucai_app::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn a_sale_posts_a_balanced_entry_and_a_retry_returns_the_same_ticket() {
    let s = start().await;
    let draw = s.open_draw("ssq").await;
    let body = json!({"request_id": "r-1", "game": "ssq", "draw": draw, "selections": ["1 2 3 4 5 6 + 7", "01 02 03 04 05 06 07 + 08 09 x 2"]});
    let r = s.sell(OWN_STATION, body.clone()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let ticket: Value = r.json().await.unwrap();
    assert_eq!(ticket["amount_fen"], 200 + 14 * 2 * 200);
    assert_eq!(
        ticket["lines"][1]["selection"],
        "01 02 03 04 05 06 07 + 08 09"
    );
    assert_eq!(ticket["station"], OWN_STATION);
    assert!(s.ledger_ok());
    let (tickets, entries) = (s.ticket_count(), s.entry_count());

    // Same request id, same sale (even written differently): same ticket, nothing charged twice.
    let again = json!({"request_id": "r-1", "game": "ssq", "draw": draw, "selections": ["06 05 04 03 02 01 + 07", "7 6 5 4 3 2 1 + 9 8 x 2"]});
    let r = s.sell(OWN_STATION, again).await;
    assert_eq!(r.status(), StatusCode::OK);
    let replay: Value = r.json().await.unwrap();
    assert_eq!(replay["serial"], ticket["serial"]);
    assert_eq!(replay["verification_code"], ticket["verification_code"]);
    assert_eq!((s.ticket_count(), s.entry_count()), (tickets, entries));

    // Same request id, another sale: 409, nothing written.
    let other = json!({"request_id": "r-1", "game": "ssq", "draw": draw, "selections": ["1 2 3 4 5 6 + 8"]});
    let (status, code, _) = error_code(s.sell(OWN_STATION, other).await).await;
    assert_eq!((status, code.as_str()), (StatusCode::CONFLICT, "conflict"));
    assert_eq!((s.ticket_count(), s.entry_count()), (tickets, entries));

    // The ticket can be checked by anyone with its serial and code, and by no one without.
    let serial = ticket["serial"].as_str().unwrap();
    let code = ticket["verification_code"].as_str().unwrap();
    let r = s
        .client
        .get(s.url(&format!("/api/v1/tickets/{serial}?code={code}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = s
        .client
        .get(s.url(&format!("/api/v1/tickets/{serial}?code=0000000000")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_requests_get_a_json_4xx_and_change_nothing() {
    let s = start().await;
    let draw = s.open_draw("ssq").await;
    let before = (s.ticket_count(), s.entry_count());
    let url = s.url("/api/v1/tickets");
    let terminal = s.terminal(OWN_STATION);

    let cases: Vec<(reqwest::RequestBuilder, StatusCode, &str)> = vec![
        // malformed selection
        (s.client.post(&url).headers(terminal.clone()).json(&json!({"request_id": "b1", "game": "ssq", "draw": draw, "selections": ["1 2 3 4 5 34 + 7"]})), StatusCode::BAD_REQUEST, "invalid"),
        // wrong types
        (s.client.post(&url).headers(terminal.clone()).json(&json!({"request_id": "b2", "game": "ssq", "draw": draw, "selections": 5})), StatusCode::BAD_REQUEST, "invalid"),
        // not JSON at all
        (s.client.post(&url).headers(terminal.clone()).header("content-type", "application/json").body("{not json"), StatusCode::BAD_REQUEST, "invalid"),
        // unknown field
        (s.client.post(&url).headers(terminal.clone()).json(&json!({"request_id": "b3", "game": "ssq", "draw": draw, "selections": ["1 2 3 4 5 6 + 7"], "price": 0})), StatusCode::BAD_REQUEST, "invalid"),
        // oversize body
        (s.client.post(&url).headers(terminal.clone()).json(&json!({"request_id": "b4", "game": "ssq", "draw": draw, "selections": vec!["1 2 3 4 5 6 + 7"; 20000]})), StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
        // unknown draw
        (s.client.post(&url).headers(terminal.clone()).json(&json!({"request_id": "b5", "game": "ssq", "draw": "2099001", "selections": ["1 2 3 4 5 6 + 7"]})), StatusCode::NOT_FOUND, "not_found"),
        // unknown game
        (s.client.post(&url).headers(terminal.clone()).json(&json!({"request_id": "b6", "game": "lotto", "draw": draw, "selections": ["1"]})), StatusCode::BAD_REQUEST, "invalid"),
        // missing credentials
        (s.client.post(&url).json(&json!({"request_id": "b7", "game": "ssq", "draw": draw, "selections": ["1 2 3 4 5 6 + 7"]})), StatusCode::UNAUTHORIZED, "unauthenticated"),
        // wrong secret
        (s.client.post(&url).header("authorization", "Terminal T32041201001:nope").json(&json!({"request_id": "b8", "game": "ssq", "draw": draw, "selections": ["1 2 3 4 5 6 + 7"]})), StatusCode::UNAUTHORIZED, "unauthenticated"),
        // too many lines
        (s.client.post(&url).headers(terminal.clone()).json(&json!({"request_id": "b9", "game": "ssq", "draw": draw, "selections": vec!["1 2 3 4 5 6 + 7"; 11]})), StatusCode::BAD_REQUEST, "invalid"),
    ];
    for (i, (request, status, code)) in cases.into_iter().enumerate() {
        let (got_status, got_code, message) = error_code(request.send().await.unwrap()).await;
        assert_eq!(
            (got_status, got_code.as_str()),
            (status, code),
            "case {i}: {message}"
        );
    }
    assert_eq!((s.ticket_count(), s.entry_count()), before);
}

#[tokio::test]
async fn the_error_names_the_field_and_the_reason() {
    let s = start().await;
    let draw = s.open_draw("ssq").await;
    let r = s.sell(OWN_STATION, json!({"request_id": "e1", "game": "ssq", "draw": draw, "selections": ["1 2 3 4 5 6 + 7", "1 2 3 4 5 34 + 7"]})).await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["field"], "selections[1]");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("red ball 34 is out of range 1–33"));
}

#[tokio::test]
async fn a_sale_after_the_cutoff_is_refused_and_writes_nothing() {
    let s = start().await;
    // The demo calendar starts a week back: those draws' sales closed at 20:00 on their day.
    let closed = s
        .app
        .store()
        .read(|r| r.draws_from("fc3d", "1000001", 1))
        .unwrap();
    let closed = &closed[0];
    assert!(closed.closes_at < chrono::Utc::now().timestamp_millis());
    let before = (s.ticket_count(), s.entry_count());
    let r = s.sell(OWN_STATION, json!({"request_id": "late", "game": "fc3d", "draw": closed.number, "selections": ["zx 1|2|3"]})).await;
    let (status, code, message) = error_code(r).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "refused")
    );
    assert!(message.contains("closed"), "{message}");
    assert_eq!((s.ticket_count(), s.entry_count()), before);
}

#[tokio::test]
async fn multi_draw_tickets_cover_consecutive_draws_and_post_per_draw() {
    let s = start().await;
    let draw = s.open_draw("fc3d").await;
    let r = s.sell(OWN_STATION, json!({"request_id": "m1", "game": "fc3d", "draw": draw, "draws": 5, "multiple": 3, "selections": ["zx 1|2|3"]})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["draws"].as_array().unwrap().len(), 5);
    assert_eq!(t["amount_fen"], 5 * 3 * 200);
    assert_eq!(t["lines"][0]["multiple"], 3);
    assert!(s.ledger_ok());
}

#[tokio::test]
async fn only_the_selling_terminal_cancels_and_the_entry_is_reversed() {
    let s = start().await;
    let draw = s.open_draw("ssq").await;
    let t: Value = s.sell(OWN_STATION, json!({"request_id": "c1", "game": "ssq", "draw": draw, "selections": ["1 2 3 4 5 6 + 7"]})).await.json().await.unwrap();
    let serial = t["serial"].as_str().unwrap();
    let cancel = |station: &str| {
        s.client
            .post(s.url(&format!("/api/v1/tickets/{serial}/cancel")))
            .headers(s.terminal(station))
            .send()
    };
    let (status, _, _) = error_code(cancel(OTHER_STATION).await.unwrap()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let r = cancel(OWN_STATION).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let cancelled: Value = r.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    let (status, _, _) = error_code(cancel(OWN_STATION).await.unwrap()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(s.ledger_ok());
    // Every account the sale touched is back to zero.
    let balances = s.app.store().read(|r| r.balances()).unwrap();
    assert!(
        balances.iter().all(|b| b.balance.fen() == 0),
        "{balances:?}"
    );
}

#[tokio::test]
async fn station_roles_see_only_their_own_station() {
    let s = start().await;
    let owner = s.login(Role::StationOwner).await;
    let get = |path: String| {
        s.client
            .get(s.url(&path))
            .headers(s.session_headers(&owner))
            .send()
    };
    assert_eq!(
        get(format!("/api/v1/stations/{OWN_STATION}/tickets"))
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        get(format!("/api/v1/stations/{OWN_STATION}"))
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let (status, code, _) = error_code(
        get(format!("/api/v1/stations/{OTHER_STATION}/tickets"))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    let (status, _, _) = error_code(
        get(format!("/api/v1/stations/{OTHER_STATION}"))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Center staff read every station.
    let finance = s.login(Role::Finance).await;
    let r = s
        .client
        .get(s.url(&format!("/api/v1/stations/{OTHER_STATION}/tickets")))
        .headers(s.session_headers(&finance))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn sessions_need_csrf_for_changes_and_logins_are_rate_limited() {
    let s = start().await;
    let admin = s.login(Role::Admin).await;
    let new_user = json!({"username": "clerk2", "display_name": "新店员", "password": "a-long-password", "role": "station_clerk", "station": OWN_STATION});
    // Cookie without the CSRF header: refused.
    let r = s
        .client
        .post(s.url("/api/v1/users"))
        .header("cookie", &admin.cookie)
        .json(&new_user)
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r).await.0, StatusCode::FORBIDDEN);
    let r = s
        .client
        .post(s.url("/api/v1/users"))
        .headers(s.session_headers(&admin))
        .json(&new_user)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = s
        .client
        .post(s.url("/api/v1/users"))
        .headers(s.session_headers(&admin))
        .json(&new_user)
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r).await.0, StatusCode::CONFLICT);

    // The cookie is HttpOnly and SameSite=Strict.
    let (user, password) = s.password(Role::Auditor);
    let r = s
        .client
        .post(s.url("/api/v1/session"))
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap();
    let cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );

    for _ in 0..fucai_app::LOGIN_FAILURES_ALLOWED {
        let r = s
            .client
            .post(s.url("/api/v1/session"))
            .json(&json!({"username": user, "password": "wrong"}))
            .send()
            .await
            .unwrap();
        assert_eq!(error_code(r).await.0, StatusCode::UNAUTHORIZED);
    }
    // Locked now, even with the right password.
    let r = s
        .client
        .post(s.url("/api/v1/session"))
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("retry-after").is_some());
    assert_eq!(error_code(r).await.0, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn station_import_is_all_or_nothing_and_round_trips_through_xlsx() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let h = s.session_headers(&ops);
    let bad = "code,name,owner,phone,address,town,licence_no,status,opened_on,closed_on\n\
               NEW-1,新站一,王五,13900000001,湖塘镇某路1号,32041201,苏福彩证-9001,active,2020-01-01,\n\
               NEW-2,新站二,赵六,12,某路,99999999,苏福彩证-9002,open,2020-13-01,\n";
    let r = s
        .client
        .post(s.url("/api/v1/stations/import"))
        .headers(h.clone())
        .body(bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["imported"], 0);
    let columns: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["column"].as_str().unwrap())
        .collect();
    assert_eq!(columns, ["phone", "town", "status", "opened_on"]);
    assert!(report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["row"] == 2));
    assert_eq!(s.app.store().read(|r| r.stations()).unwrap().len(), 120);

    let good = bad.lines().take(2).collect::<Vec<_>>().join("\n");
    let r = s
        .client
        .post(s.url("/api/v1/stations/import"))
        .headers(h.clone())
        .body(good)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(s.app.store().read(|r| r.stations()).unwrap().len(), 121);

    // Export as XLSX, import the same file back: every row updates in place.
    let xlsx = s
        .get_bytes("/api/v1/stations/export?format=xlsx", &ops)
        .await;
    assert!(xlsx.starts_with(b"PK"));
    let r = s
        .client
        .post(s.url("/api/v1/stations/import"))
        .headers(h.clone())
        .body(xlsx)
        .send()
        .await
        .unwrap();
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["imported"], 121, "{report}");
    let csv = s
        .client
        .get(s.url("/api/v1/stations/export"))
        .headers(h)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with("code,name,owner,phone,address,town,licence_no,status,opened_on,closed_on")
    );
    assert!(csv.contains("NEW-1,新站一,王五"));
}

#[tokio::test]
async fn upstream_daily_sales_feed_the_same_ledger() {
    let s = start().await;
    let finance = s.login(Role::Finance).await;
    let path = "/api/v1/daily-sales/import";
    let file = format!("date,station,game,amount,bets\n2019-04-10,{OWN_STATION},ssq,2000,1000\n2019-04-10,{OWN_STATION},fc3d,400.00,200\n");
    assert_eq!(
        s.upload(path, &finance, file.clone()).await.status(),
        StatusCode::OK
    );
    let balances = s.get_json("/api/v1/ledger/balances", &finance).await;
    let receivable = balances
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["account"] == format!("station/{OWN_STATION}/receivable"))
        .unwrap();
    assert_eq!(receivable["balance_fen"], 240_000);
    assert_eq!(
        s.get_json("/api/v1/ledger/verify", &finance).await["ok"],
        true
    );
    // The same report again: refused whole.
    assert_eq!(
        s.upload(path, &finance, file).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // An amount that is not bets × 2元.
    let bad = format!("date,station,game,amount,bets\n2019-04-11,{OWN_STATION},ssq,2001,1000\n");
    let report: Value = s.upload(path, &finance, bad).await.json().await.unwrap();
    assert_eq!(report["errors"][0]["column"], "amount");
}

#[tokio::test]
async fn the_audit_chain_finds_an_edited_row() {
    let s = start().await;
    let draw = s.open_draw("ssq").await;
    s.sell(
        OWN_STATION,
        json!({"request_id": "a1", "game": "ssq", "draw": draw, "selections": ["1 2 3 4 5 6 + 7"]}),
    )
    .await;
    let auditor = s.login(Role::Auditor).await;
    let verify = || async { s.get_json("/api/v1/audit/verify", &auditor).await };
    assert_eq!(verify().await["ok"], true);
    let conn = rusqlite_free_edit(&s);
    assert!(conn > 0);
    let report = verify().await;
    assert_eq!(report["ok"], false);
    assert_eq!(report["broken_at"], 10);
}

/// Edits one audit row behind the application's back (as someone holding the file could).
fn rusqlite_free_edit(s: &common::Server) -> usize {
    let conn = rusqlite::Connection::open(s.dir.path().join("test.db")).unwrap();
    conn.execute(
        "UPDATE audit_log SET actor = 'someone-else' WHERE id = 10",
        [],
    )
    .unwrap()
}

#[tokio::test]
async fn the_openapi_document_covers_every_route() {
    let s = start().await;
    let doc = s.get_public_json("/api/v1/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for route in fucai_web::policy::ROUTES {
        let op = &doc["paths"][route.path][route.method.to_lowercase()];
        assert!(
            op.is_object(),
            "{} {} missing from the OpenAPI document",
            route.method,
            route.path
        );
    }
}

#[tokio::test]
async fn towns_import_all_or_nothing_and_terminal_exports_carry_no_secrets() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let bad = "code,name,center\n32041213,西湖街道,320412\n32041214,丁堰街道,3204\n";
    let r = s.upload("/api/v1/towns/import", &ops, bad).await;
    let status = r.status();
    let report: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{report}");
    assert_eq!(
        (
            report["errors"][0]["row"].as_i64(),
            report["errors"][0]["column"].as_str()
        ),
        (Some(2), Some("center"))
    );
    let good = "code,name,center\n32041213,西湖街道,320412\n32041214,丁堰街道,320412\n";
    assert_eq!(
        s.upload("/api/v1/towns/import", &ops, good).await.status(),
        StatusCode::OK
    );
    let csv = s.get_text("/api/v1/towns/export", &ops).await;
    assert_eq!(csv.lines().count(), 1 + 14);
    assert!(csv.contains("32041214,丁堰街道,320412"));
    let terminals = s.get_text("/api/v1/terminals/export", &ops).await;
    assert!(terminals.starts_with("code,station,status"));
    assert_eq!(terminals.lines().count(), 121);
    let (_, _, secret) = &s.credentials.terminals[0];
    assert!(!terminals.contains(secret.as_str()));
}

#[tokio::test]
async fn a_cancel_after_the_window_is_refused_and_changes_nothing() {
    let s = common::start_with(|c| c.cancel_window_ms = 50).await;
    let draw = s.open_draw("ssq").await;
    let t: Value = s.sell(OWN_STATION, json!({"request_id": "w1", "game": "ssq", "draw": draw, "selections": ["1 2 3 4 5 6 + 7"]})).await.json().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(120)).await;
    let entries = s.entry_count();
    let serial = t["serial"].as_str().unwrap();
    let r = s
        .client
        .post(s.url(&format!("/api/v1/tickets/{serial}/cancel")))
        .headers(s.terminal(OWN_STATION))
        .send()
        .await
        .unwrap();
    let (status, code, message) = error_code(r).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "refused"),
        "{message}"
    );
    assert!(message.contains("cancel window"));
    assert_eq!(s.entry_count(), entries);
}

#[tokio::test]
async fn suspending_a_station_stops_its_sales_at_once() {
    let s = start().await;
    let draw = s.open_draw("ssq").await;
    let sale = |id: &str| json!({"request_id": id, "game": "ssq", "draw": draw, "selections": ["1 2 3 4 5 6 + 7"]});
    // A first sale: the terminal, its station and the draw are now held in memory.
    assert_eq!(
        s.sell(OWN_STATION, sale("s-1")).await.status(),
        StatusCode::CREATED
    );

    let ops = s.login(Role::Operations).await;
    let csv = s.get_text("/api/v1/stations/export", &ops).await;
    let header = csv.lines().next().unwrap();
    let row = csv
        .lines()
        .find(|l| l.starts_with(&format!("{OWN_STATION},")))
        .unwrap();
    let suspended = row.replace(",active,", ",suspended,");
    assert_ne!(suspended, row);
    let r = s
        .upload(
            "/api/v1/stations/import",
            &ops,
            format!("{header}\n{suspended}\n"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let tickets = s.ticket_count();
    let (status, _, message) = error_code(s.sell(OWN_STATION, sale("s-2")).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
    assert!(message.contains("suspended"), "{message}");
    assert_eq!(s.ticket_count(), tickets);

    let r = s
        .upload(
            "/api/v1/stations/import",
            &ops,
            format!("{header}\n{row}\n"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        s.sell(OWN_STATION, sale("s-2")).await.status(),
        StatusCode::CREATED
    );
}
