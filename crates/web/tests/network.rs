//! The station register's upkeep over HTTP: suspend, reopen and close a station, disable,
//! enable and replace terminals, administer accounts, keep the station people, and the public
//! station finder — each refusal writes nothing.

mod common;

use common::draws::{post, rand_id};
use common::{error_code, start, Server, OTHER_STATION, OWN_STATION};
use fucai_app::Role;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};
use reqwest::StatusCode;
use serde_json::{json, Value};

const STATION: &str = "32041201002";

async fn sell_with(s: &Server, headers: HeaderMap) -> reqwest::Response {
    let draw = s.open_draw("ssq").await;
    s.client
        .post(s.url("/api/v1/tickets"))
        .headers(headers)
        .json(&json!({"request_id": rand_id(), "game": "ssq", "draw": draw, "selections": ["1 2 3 4 5 6 + 7"]}))
        .send()
        .await
        .unwrap()
}

fn terminal_headers(code: &str, secret: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        AUTHORIZATION,
        HeaderValue::from_str(&format!("Terminal {code}:{secret}")).unwrap(),
    );
    h
}

/// A sale that must be refused: the status and error code, and nothing written.
async fn refused_sale(s: &Server, headers: HeaderMap) -> (StatusCode, String) {
    let (tickets, entries) = (s.ticket_count(), s.entry_count());
    let (status, code, _) = error_code(sell_with(s, headers).await).await;
    assert_eq!(
        (s.ticket_count(), s.entry_count()),
        (tickets, entries),
        "a refused sale writes nothing"
    );
    (status, code)
}

#[tokio::test]
async fn a_suspended_station_cannot_sell_until_it_reopens_and_its_history_is_kept() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let path = format!("/api/v1/stations/{STATION}");

    let (status, body) = post(&s, &ops, &format!("{path}/suspend"), json!({"reason": " "})).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a reason is required: {body}"
    );
    assert_eq!(body["error"]["field"], "reason");

    let (status, body) = post(
        &s,
        &ops,
        &format!("{path}/suspend"),
        json!({"reason": "未张贴代销证，限期整改"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "suspended");
    assert_eq!(body["status_reason"], "未张贴代销证，限期整改");

    assert_eq!(
        refused_sale(&s, s.terminal(STATION)).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "refused".to_string())
    );
    let (status, _) = post(
        &s,
        &ops,
        &format!("{path}/suspend"),
        json!({"reason": "again"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "already suspended");

    let (status, body) = post(
        &s,
        &ops,
        &format!("{path}/reopen"),
        json!({"reason": "整改完成"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status_reason"], "");
    assert_eq!(
        sell_with(&s, s.terminal(STATION)).await.status(),
        StatusCode::CREATED
    );

    let history = s.get_json(&format!("{path}/history"), &ops).await;
    let moves: Vec<(&str, &str)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["from"].as_str().unwrap(), e["to"].as_str().unwrap()))
        .collect();
    assert_eq!(moves, [("active", "suspended"), ("suspended", "active")]);
    assert_eq!(history[0]["reason"], "未张贴代销证，限期整改");
    assert_eq!(history[0]["actor"], "user:operations");
}

#[tokio::test]
async fn a_closed_station_disables_its_terminals_and_stays_closed() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let path = format!("/api/v1/stations/{STATION}/close");
    for (body, field) in [
        (json!({"on": "2099-01-01", "reason": "业主退出"}), "on"),
        (json!({"on": "1999-01-01", "reason": "业主退出"}), "on"),
        (json!({"on": "yesterday", "reason": "业主退出"}), "on"),
    ] {
        let (status, answer) = post(&s, &ops, &path, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert_eq!(answer["error"]["field"], field);
    }
    let today = fucai_app::beijing_date(fucai_app::now_ms()).to_string();
    let (status, body) = post(&s, &ops, &path, json!({"on": today, "reason": "业主退出"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["status"].as_str(), body["closed_on"].as_str()),
        (Some("closed"), Some(today.as_str()))
    );

    let (status, _) = refused_sale(&s, s.terminal(STATION)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "its terminal is disabled");
    let (status, _) = post(
        &s,
        &ops,
        &format!("/api/v1/terminals/T{STATION}/enable"),
        json!({}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not at a closed station"
    );
    let (status, _) = post(
        &s,
        &ops,
        &format!("/api/v1/stations/{STATION}/reopen"),
        json!({"reason": "x"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "closed for good");

    // The public finder no longer lists it.
    let finder = s
        .get_public_json("/api/v1/public/stations?town=32041201")
        .await;
    let codes: Vec<&str> = finder
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap())
        .collect();
    assert!(
        !codes.contains(&STATION) && codes.contains(&OWN_STATION),
        "{codes:?}"
    );
}

#[tokio::test]
async fn disabled_and_replaced_terminals_are_refused_at_once() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let terminal = format!("/api/v1/terminals/T{STATION}");

    let (status, _) = post(&s, &ops, &format!("{terminal}/disable"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = refused_sale(&s, s.terminal(STATION)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = post(&s, &ops, &format!("{terminal}/enable"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        sell_with(&s, s.terminal(STATION)).await.status(),
        StatusCode::CREATED
    );

    let (status, body) = post(&s, &ops, &format!("{terminal}/replace"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let secret = body["secret"].as_str().unwrap();
    let (status, _) = refused_sale(&s, s.terminal(STATION)).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the old secret is refused at once"
    );
    let new = terminal_headers(&format!("T{STATION}"), secret);
    assert_eq!(sell_with(&s, new).await.status(), StatusCode::CREATED);

    let (status, _) = post(&s, &ops, "/api/v1/terminals/T000/disable", json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_deactivated_person_can_neither_sign_in_nor_use_their_session() {
    let s = start().await;
    let admin = s.login(Role::Admin).await;
    let clerk = s.login(Role::StationClerk).await;
    let (username, password) = s.password(Role::StationClerk);
    assert_eq!(
        s.get_json("/api/v1/session", &clerk).await["username"],
        username.as_str()
    );

    let (status, _) = post(
        &s,
        &admin,
        &format!("/api/v1/users/{username}/deactivate"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let r = s
        .client
        .get(s.url("/api/v1/session"))
        .headers(s.session_headers(&clerk))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "the existing session ended"
    );
    assert_eq!(
        s.sign_in_status(&username, &password).await,
        StatusCode::UNAUTHORIZED
    );

    let (status, _) = post(
        &s,
        &admin,
        &format!("/api/v1/users/{username}/activate"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = post(
        &s,
        &admin,
        &format!("/api/v1/users/{username}/reset-password"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let first = body["password"].as_str().unwrap();
    assert_eq!(
        s.sign_in_status(&username, &password).await,
        StatusCode::UNAUTHORIZED,
        "old password"
    );
    assert_eq!(s.sign_in_status(&username, first).await, StatusCode::OK);

    // A role change: a station role needs its station; an admin cannot demote themselves.
    let (status, body) = post(
        &s,
        &admin,
        &format!("/api/v1/users/{username}/role"),
        json!({"role": "station_owner"}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("station"))
    );
    let (status, _) = post(
        &s,
        &admin,
        &format!("/api/v1/users/{username}/role"),
        json!({"role": "station_owner", "station": OTHER_STATION}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let me = s.password(Role::Admin).0;
    let (status, _) = post(
        &s,
        &admin,
        &format!("/api/v1/users/{me}/role"),
        json!({"role": "auditor"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = post(
        &s,
        &admin,
        &format!("/api/v1/users/{me}/deactivate"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

fn person(station: &str, id_number: &str) -> Value {
    json!({"station": station, "role": "clerk", "name": "王小红", "phone": "13905190001",
           "id_number": id_number, "from_on": "2019-03-01", "certificates": "销售员上岗证"})
}

#[tokio::test]
async fn station_people_are_kept_masked_and_each_station_sees_only_its_own() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let owner = s.login(Role::StationOwner).await;

    let (status, body) = post(
        &s,
        &ops,
        "/api/v1/station-people",
        person(OWN_STATION, "11010519491231002X"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["id_number"], "1101**********002X");
    let id = body["id"].as_i64().unwrap();
    let (status, body) = post(
        &s,
        &ops,
        "/api/v1/station-people",
        person(OWN_STATION, "110105194912310021"),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("id_number")),
        "{body}"
    );

    let (status, body) = post(
        &s,
        &ops,
        &format!("/api/v1/station-people/{id}/leave"),
        json!({"to_on": "2018-01-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "before they started: {body}");
    let (status, body) = post(
        &s,
        &ops,
        &format!("/api/v1/station-people/{id}/leave"),
        json!({"to_on": "2019-08-31"}),
    )
    .await;
    assert_eq!(
        (status, body["to_on"].as_str()),
        (StatusCode::OK, Some("2019-08-31"))
    );

    // All or nothing: one bad row and nothing is imported.
    let file = format!(
        "station,role,name,phone,id_number,from_on\n{OTHER_STATION},owner,李强,13905190002,11010519491231002X,2019-01-01\n{OTHER_STATION},boss,赵六,13905190003,11010519491231002X,2019-01-01\n"
    );
    let r = s
        .upload("/api/v1/station-people/import", &ops, file.clone())
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = r.json().await.unwrap();
    let columns: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["column"].as_str().unwrap())
        .collect();
    assert_eq!(columns, ["role", "id_number"], "{report}");
    let everyone = s.get_json("/api/v1/station-people", &ops).await;
    assert_eq!(everyone.as_array().unwrap().len(), 1, "nothing imported");
    let r = s
        .upload(
            "/api/v1/station-people/import",
            &ops,
            file.lines().take(2).collect::<Vec<_>>().join("\n"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    let own = s
        .get_json(
            &format!("/api/v1/station-people?station={OWN_STATION}"),
            &owner,
        )
        .await;
    assert_eq!(own.as_array().unwrap().len(), 1);
    let r = s
        .client
        .get(s.url(&format!("/api/v1/station-people?station={OTHER_STATION}")))
        .headers(s.session_headers(&owner))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "another station's people"
    );
    let r = s
        .client
        .get(s.url("/api/v1/station-people"))
        .headers(s.session_headers(&owner))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "everyone's people");
    let csv = s.get_text("/api/v1/station-people/export", &ops).await;
    assert!(
        csv.contains("1101**********002X") && !csv.contains("11010519491231002X"),
        "{csv}"
    );
}

#[tokio::test]
async fn the_public_finder_shows_open_and_suspended_stations_with_their_games() {
    let s = start().await;
    let all = s.get_public_json("/api/v1/public/stations").await;
    let all = all.as_array().unwrap();
    let find = |code: &str| all.iter().find(|x| x["code"] == code).cloned();
    let own = find(OWN_STATION).unwrap();
    assert_eq!(own["open"], true);
    assert_eq!(own["games"].as_array().unwrap().len(), 4, "{own}");
    assert!(own["town_name"].as_str().unwrap().len() > 1);
    // The demo's station 37 is suspended (shown, not open); 88 closed (not shown).
    let suspended = all
        .iter()
        .find(|x| x["open"] == false)
        .expect("a suspended station");
    assert!(suspended["address"].as_str().unwrap().contains("武进区"));
    assert_eq!(all.len(), 119, "all 120 demo stations but the closed one");
    assert!(
        find("32041209008").is_none(),
        "the closed station is not listed"
    );
    let r = s
        .client
        .get(s.url("/api/v1/public/stations?colour=red"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_register_file_moves_a_status_only_as_allowed_and_keeps_the_move() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let header = "code,name,owner,phone,address,town,licence_no,status,opened_on,closed_on\n";
    let row = |status: &str, closed: &str| {
        format!("{STATION},中国福利彩票投注站,业主,13905190002,武进区湖塘镇1号,32041201,苏福彩证-0002,{status},2006-02-02,{closed}\n")
    };
    let r = s
        .upload(
            "/api/v1/stations/import",
            &ops,
            format!("{header}{}", row("suspended", "")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let history = s
        .get_json(&format!("/api/v1/stations/{STATION}/history"), &ops)
        .await;
    assert_eq!(
        (history[0]["to"].as_str(), history[0]["reason"].as_str()),
        (Some("suspended"), Some("站点名录导入"))
    );
    let r = s
        .upload(
            "/api/v1/stations/import",
            &ops,
            format!("{header}{}", row("closed", "2019-06-30")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // Closed for good: a file cannot reopen it.
    let r = s
        .upload(
            "/api/v1/stations/import",
            &ops,
            format!("{header}{}", row("active", "")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["errors"][0]["column"], "status", "{report}");
    let station = s
        .get_json(&format!("/api/v1/stations/{STATION}"), &ops)
        .await;
    assert_eq!(station["status"], "closed");
}
