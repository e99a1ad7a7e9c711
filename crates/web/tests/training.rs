//! Training over HTTP: sessions, attendance with exams, a staff member's record, and the
//! period report's coverage with stations opening and closing mid-period, checked by hand.

mod common;

use common::draws::post;
use common::{start, Server, Session, OWN_STATION};
use fucai_app::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The demo's station 88 closed on 2019-06-30.
const CLOSED_MID_2019: &str = "32041209008";
const NEW_STATION: &str = "32041201099";

async fn person(s: &Server, ops: &Session, station: &str, id_number: &str) -> i64 {
    let (status, body) = post(
        s,
        ops,
        "/api/v1/station-people",
        json!({"station": station, "role": "clerk", "name": "培训学员", "phone": "13905190001",
               "id_number": id_number, "from_on": "2010-01-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().unwrap()
}

async fn session(s: &Server, ops: &Session, held_on: &str, pass_score: Option<i64>) -> i64 {
    let (status, body) = post(
        s,
        ops,
        "/api/v1/trainings",
        json!({"kind": "station", "topic": "销售规范与责任彩票", "held_on": held_on,
               "place": "区中心三楼会议室", "trainer": "王老师", "pass_score": pass_score}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().unwrap()
}

async fn attend(s: &Server, ops: &Session, id: i64, attendees: Value) -> (StatusCode, Value) {
    post(
        s,
        ops,
        &format!("/api/v1/trainings/{id}/attendance"),
        json!({ "attendees": attendees }),
    )
    .await
}

#[tokio::test]
async fn coverage_counts_stations_that_open_or_close_mid_period_as_a_hand_count_does() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    // A station that opened on 2019-05-01 in the first town.
    let file = format!(
        "code,name,owner,phone,address,town,licence_no,status,opened_on\n{NEW_STATION},新开投注站,陈新,13905199999,武进区湖塘镇新路1号,32041201,苏福彩证-9999,active,2019-05-01\n"
    );
    assert_eq!(
        s.upload("/api/v1/stations/import", &ops, file)
            .await
            .status(),
        StatusCode::OK
    );
    let own = person(&s, &ops, OWN_STATION, "11010519491231002X").await;
    let closed = person(&s, &ops, CLOSED_MID_2019, "110105194912310038").await;
    let new = person(&s, &ops, NEW_STATION, "110105194912310046").await;
    let earlier = person(&s, &ops, "32041201002", "110105194912310054").await;

    let march = session(&s, &ops, "2019-03-15", Some(60)).await;
    let june = session(&s, &ops, "2019-06-10", None).await;
    let last_year = session(&s, &ops, "2018-12-01", None).await;

    // A score where there is no exam, or none where there is one: refused by field.
    let (status, body) = attend(&s, &ops, june, json!([{"person_id": new, "score": 80}])).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("attendees[0].score"))
    );
    let (status, _) = attend(&s, &ops, march, json!([{"person_id": own}])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // An unknown person: nothing of the list is written.
    let (status, body) = attend(
        &s,
        &ops,
        june,
        json!([{"person_id": new}, {"person_id": 999999}]),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("attendees")),
        "{body}"
    );

    let (status, body) = attend(
        &s,
        &ops,
        march,
        json!([{"person_id": own, "score": 90}, {"person_id": closed, "score": 50}, {"username": "operations", "score": 70}]),
    )
    .await;
    assert_eq!(
        (status, body["attendees"].as_i64()),
        (StatusCode::OK, Some(3)),
        "{body}"
    );
    let (status, _) = attend(
        &s,
        &ops,
        march,
        json!([{"person_id": new, "score": 80}, {"person_id": own, "score": 95}]),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "own attended already: none of the two recorded"
    );
    assert_eq!(
        attend(&s, &ops, june, json!([{"person_id": new}])).await.0,
        StatusCode::OK
    );
    assert_eq!(
        attend(&s, &ops, last_year, json!([{"person_id": earlier}]))
            .await
            .0,
        StatusCode::OK
    );

    let sheet = s
        .get_json(&format!("/api/v1/trainings/{march}/attendance"), &ops)
        .await;
    let passed: Vec<(Value, Value)> = sheet
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["score"].clone(), a["passed"].clone()))
        .collect();
    assert_eq!(
        passed,
        [
            (json!(90), json!(true)),
            (json!(50), json!(false)),
            (json!(70), json!(true))
        ]
    );
    let clerk = s.login(Role::StationClerk).await;
    let own_record = s
        .get_json("/api/v1/users/stationclerk/training", &clerk)
        .await;
    assert_eq!(own_record, json!([]), "anyone reads their own record");
    let r = s
        .client
        .get(s.url("/api/v1/users/operations/training"))
        .headers(s.session_headers(&clerk))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "but not another's");
    let record = s.get_json("/api/v1/users/operations/training", &ops).await;
    assert_eq!(record.as_array().unwrap().len(), 1);
    assert_eq!(record[0]["topic"], "销售规范与责任彩票");

    // By hand, 2019-01-01..08-31: 120 demo stations were all open on some day (station 88
    // until 06-30, station 37 suspended but in the network) plus the new one from 05-01 = 121.
    // Trained in the period: own (March), 88 (March, before it closed), the new one (June) = 3.
    // 3/121 = 24.79‰ → 25. The first town: 10 + 1 open, 2 trained → 181.8‰ → 182; the
    // ninth: 10 open, 1 trained → 100. The December 2018 session is outside the period.
    let r = s
        .get_json(
            "/api/v1/trainings/report?from=2019-01-01&to=2019-08-31",
            &ops,
        )
        .await;
    assert_eq!(
        (
            &r["sessions"],
            &r["person_times"],
            &r["staff_person_times"],
            &r["stations_open"],
            &r["stations_trained"],
            &r["coverage_permille"],
            &r["coverage"]
        ),
        (
            &json!(2),
            &json!(3),
            &json!(1),
            &json!(121),
            &json!(3),
            &json!(25),
            &json!("2.5%")
        ),
        "{r}"
    );
    let town = |code: &str| {
        r["by_town"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["town"] == code)
            .unwrap()
            .clone()
    };
    let first = town("32041201");
    assert_eq!(
        (
            &first["stations_open"],
            &first["stations_trained"],
            &first["coverage_permille"],
            &first["person_times"],
            &first["sessions"]
        ),
        (&json!(11), &json!(2), &json!(182), &json!(2), &json!(2))
    );
    let ninth = town("32041209");
    assert_eq!(
        (
            &ninth["stations_open"],
            &ninth["stations_trained"],
            &ninth["coverage_permille"]
        ),
        (&json!(10), &json!(1), &json!(100))
    );

    // After 88 closed: July–August, no session, 120 open (119 demo + the new one).
    let later = s
        .get_json(
            "/api/v1/trainings/report?from=2019-07-01&to=2019-08-31",
            &ops,
        )
        .await;
    assert_eq!(
        (
            &later["stations_open"],
            &later["stations_trained"],
            &later["sessions"]
        ),
        (&json!(120), &json!(0), &json!(0))
    );
    // Before the new station opened: January–April, 120 demo stations.
    let spring = s
        .get_json(
            "/api/v1/trainings/report?from=2019-01-01&to=2019-04-30",
            &ops,
        )
        .await;
    assert_eq!(
        (&spring["stations_open"], &spring["stations_trained"]),
        (&json!(120), &json!(2))
    );

    let r = s
        .client
        .get(s.url("/api/v1/trainings/report?from=2019-09-01&to=2019-01-01"))
        .headers(s.session_headers(&ops))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // The report as a spreadsheet, the district's line first.
    let csv = s
        .get_text(
            "/api/v1/trainings/report/export?from=2019-01-01&to=2019-08-31",
            &ops,
        )
        .await;
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("全区,,2,3,121,3,2.5%"),
        "{csv}"
    );
}

#[tokio::test]
async fn an_attendance_sheet_is_imported_whole_or_not_at_all() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    person(&s, &ops, OWN_STATION, "11010519491231002X").await;
    let exam = session(&s, &ops, "2019-04-18", Some(60)).await;
    let path = format!("/api/v1/trainings/{exam}/attendance/import");
    let bad =
        "id_number,username,score\n11010519491231002X,,88\n,nobody,70\n110105194912310038,,\n";
    let r = s.upload(&path, &ops, bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = r.json().await.unwrap();
    let errors: Vec<(i64, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_i64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [(2, "username"), (3, "score"), (3, "id_number")],
        "{report}"
    );
    assert_eq!(
        s.get_json(&format!("/api/v1/trainings/{exam}/attendance"), &ops)
            .await,
        json!([])
    );
    let good = "id_number,username,score\n11010519491231002x,,88\n,operations,59\n";
    let r = s.upload(&path, &ops, good).await;
    assert_eq!(r.status(), StatusCode::OK);
    let sheet = s
        .get_json(&format!("/api/v1/trainings/{exam}/attendance"), &ops)
        .await;
    let passed: Vec<&Value> = sheet
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["passed"])
        .collect();
    assert_eq!(passed, [&json!(true), &json!(false)]);
}
