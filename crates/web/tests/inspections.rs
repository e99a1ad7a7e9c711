//! Visits and rectifications over HTTP: the checklist refuses bad scores, a finding cannot
//! be closed without a submission nor by its submitter, a reopen keeps the history, an
//! appeal that overturns a finding withdraws it with both on record, and the star rating of
//! a year equals the hand computation and sets the commission rate.

mod common;

use common::draws::post;
use common::{start, Server, Session, OTHER_STATION, OWN_STATION};
use fucai_app::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Full marks on every checklist item but `short` points off `licence`.
fn scores(short: i64) -> Value {
    json!({"licence": 15 - short, "no_minors": 10, "responsible_play": 10, "results_posted": 10,
           "welfare_only": 15, "terminal_clean": 15, "cutoff_kept": 10, "safety": 15})
}

async fn inspect(
    s: &Server,
    ops: &Session,
    station: &str,
    on: &str,
    short: i64,
    findings: Value,
) -> Value {
    let (status, body) = post(
        s,
        ops,
        "/api/v1/visits",
        json!({"station": station, "kind": "inspection", "visited_on": on, "visitors": "张科长、李干事",
               "opinions": "希望增加即开票品种", "scores": scores(short), "findings": findings}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

fn finding(deadline: &str) -> Value {
    json!([{"item": "licence", "description": "代销证未悬挂", "responsible": "站点业主", "deadline": deadline}])
}

fn history(detail: &Value) -> Vec<String> {
    detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["to"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_checklist_refuses_bad_scores_and_a_visit_sums_its_items() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let checklist = s.get_json("/api/v1/checklist", &ops).await;
    let total: i64 = checklist["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["points"].as_i64().unwrap())
        .sum();
    assert_eq!(total, 100);

    let mut missing = scores(0);
    missing.as_object_mut().unwrap().remove("safety");
    for (bad, field) in [
        (missing, "scores"),
        (json!({"licence": 16}), "scores.licence"),
        (json!({"no_such_item": 1}), "scores"),
    ] {
        let (status, body) = post(
            &s,
            &ops,
            "/api/v1/visits",
            json!({"station": OWN_STATION, "kind": "inspection",
            "visited_on": "2025-03-01", "visitors": "张科长", "scores": bad}),
        )
        .await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some(field)),
            "{body}"
        );
    }
    let (status, body) = post(
        &s,
        &ops,
        "/api/v1/visits",
        json!({"station": OWN_STATION, "kind": "visit",
        "visited_on": "2025-03-01", "visitors": "张科长", "scores": scores(0)}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("scores")),
        "a 走访 is not scored"
    );

    let recorded = inspect(
        &s,
        &ops,
        OWN_STATION,
        "2025-03-01",
        15,
        finding("2025-03-15"),
    )
    .await;
    assert_eq!(recorded["visit"]["score"], 85);
    assert_eq!(recorded["visit"]["opinions"], "希望增加即开票品种");
    assert_eq!(recorded["findings"][0]["status"], "open");
    let visits = s
        .get_json(
            &format!("/api/v1/visits?station={OWN_STATION}&from=2025-01-01&to=2025-12-31"),
            &ops,
        )
        .await;
    assert_eq!(visits.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_rectification_is_verified_by_someone_else_and_a_reopen_keeps_the_history() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let admin = s.login(Role::Admin).await;
    let owner = s.login(Role::StationOwner).await;
    let id = inspect(
        &s,
        &ops,
        OWN_STATION,
        "2025-03-01",
        15,
        finding("2099-03-15"),
    )
    .await["findings"][0]["id"]
        .as_i64()
        .unwrap();
    let path = |action: &str| format!("/api/v1/findings/{id}/{action}");

    // No skipping the verification: an open finding cannot be closed.
    let (status, _) = post(&s, &ops, &path("verify"), json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, body) = post(&s, &owner, &path("submit"), json!({"evidence": " "})).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("evidence"))
    );
    assert_eq!(
        post(&s, &owner, &path("start"), json!({})).await.0,
        StatusCode::OK
    );
    let (status, body) = post(
        &s,
        &owner,
        &path("submit"),
        json!({"evidence": "已悬挂，照片见附件"}),
    )
    .await;
    assert_eq!(
        (status, body["finding"]["status"].as_str()),
        (StatusCode::OK, Some("submitted"))
    );
    // The station cannot verify its own work; the center can.
    assert_eq!(
        post(&s, &owner, &path("verify"), json!({})).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&s, &ops, &path("verify"), json!({"note": "现场核实"}))
            .await
            .0,
        StatusCode::OK
    );
    // Found again: reopened, round again; this time the center submits on the station's behalf,
    // so another person must verify.
    let (status, body) = post(
        &s,
        &ops,
        &path("reopen"),
        json!({"reason": "复查时又未悬挂"}),
    )
    .await;
    assert_eq!(
        (status, body["finding"]["status"].as_str()),
        (StatusCode::OK, Some("reopened"))
    );
    assert_eq!(
        post(&s, &ops, &path("submit"), json!({"evidence": "代为提交"}))
            .await
            .0,
        StatusCode::OK
    );
    let (status, body) = post(&s, &ops, &path("verify"), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = post(&s, &admin, &path("verify"), json!({"note": "复核通过"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        history(&body),
        [
            "open",
            "in_progress",
            "submitted",
            "closed",
            "reopened",
            "submitted",
            "closed"
        ]
    );
    assert_eq!(body["history"][4]["note"], "复查时又未悬挂");
    assert_eq!(body["history"][2]["actor"], "user:stationowner");

    // Another station's owner sees and moves nothing of it.
    let other = format!("/api/v1/findings?station={OTHER_STATION}");
    let r = s
        .client
        .get(s.url(&other))
        .headers(s.session_headers(&owner))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let own = s
        .get_json(&format!("/api/v1/findings?station={OWN_STATION}"), &owner)
        .await;
    assert_eq!(own.as_array().unwrap().len(), 1);
    let elsewhere = inspect(
        &s,
        &ops,
        OTHER_STATION,
        "2025-04-01",
        0,
        finding("2099-01-01"),
    )
    .await["findings"][0]["id"]
        .as_i64()
        .unwrap();
    let (status, _) = post(
        &s,
        &owner,
        &format!("/api/v1/findings/{elsewhere}/start"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let r = s
        .client
        .get(s.url(&format!("/api/v1/findings/{elsewhere}")))
        .headers(s.session_headers(&owner))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_appeal_that_overturns_a_finding_withdraws_it_with_the_history_kept() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let admin = s.login(Role::Admin).await;
    let owner = s.login(Role::StationOwner).await;
    let found = inspect(&s, &ops, OWN_STATION, "2025-05-01", 15, json!([
        {"item": "licence", "description": "代销证未悬挂", "responsible": "站点业主", "deadline": "2099-05-15"},
        {"description": "营业时间不足", "responsible": "站点业主", "deadline": "2099-05-15"}
    ])).await;
    let (first, second) = (
        found["findings"][0]["id"].as_i64().unwrap(),
        found["findings"][1]["id"].as_i64().unwrap(),
    );

    let (status, body) = post(
        &s,
        &owner,
        &format!("/api/v1/findings/{first}/appeal"),
        json!({"reason": "代销证在柜台内侧悬挂，巡查时被遮挡"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let appeal = body["appeals"][0]["id"].as_i64().unwrap();
    let (status, _) = post(
        &s,
        &owner,
        &format!("/api/v1/findings/{first}/appeal"),
        json!({"reason": "again"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "one appeal waiting at a time");
    assert_eq!(
        post(
            &s,
            &owner,
            &format!("/api/v1/appeals/{appeal}/decide"),
            json!({"overturn": true, "note": "x"})
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (status, body) = post(
        &s,
        &ops,
        &format!("/api/v1/appeals/{appeal}/decide"),
        json!({"overturn": true, "note": "照片核实，申诉成立"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["finding"]["status"], "withdrawn");
    assert_eq!(history(&body), ["open", "withdrawn"]);
    assert_eq!(
        (
            body["appeals"][0]["decision"].as_str(),
            body["appeals"][0]["decided_by"].as_str()
        ),
        (Some("overturned"), Some("user:operations"))
    );
    let (status, _) = post(
        &s,
        &ops,
        &format!("/api/v1/appeals/{appeal}/decide"),
        json!({"overturn": false, "note": "再议"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "decided once");
    let (status, _) = post(
        &s,
        &owner,
        &format!("/api/v1/findings/{first}/start"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "a withdrawn finding is over");

    // An upheld appeal leaves the finding as it was, the appeal on record.
    let (_, body) = post(
        &s,
        &owner,
        &format!("/api/v1/findings/{second}/appeal"),
        json!({"reason": "当天临时有事"}),
    )
    .await;
    let appeal = body["appeals"][0]["id"].as_i64().unwrap();
    let (status, body) = post(
        &s,
        &admin,
        &format!("/api/v1/appeals/{appeal}/decide"),
        json!({"overturn": false, "note": "理由不成立"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            body["finding"]["status"].as_str(),
            body["appeals"][0]["decision"].as_str()
        ),
        (Some("open"), Some("upheld"))
    );
}

#[tokio::test]
async fn the_star_rating_equals_the_hand_computation_and_sets_the_commission() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let finance = s.login(Role::Finance).await;
    // 2025: inspections of 85 and 95, sales of 1,500,000元 (upstream daily reports), one
    // finding still open.
    inspect(
        &s,
        &ops,
        OWN_STATION,
        "2025-03-01",
        15,
        finding("2025-03-31"),
    )
    .await;
    inspect(&s, &ops, OWN_STATION, "2025-09-01", 5, json!([])).await;
    s.daily_sales(
        &finance,
        &[
            ("2025-06-01", OWN_STATION, "ssq", 1_000_000),
            ("2025-06-02", OWN_STATION, "fc3d", 500_000),
        ],
    )
    .await;

    // By hand: 90 × 60% = 54.00; 150万 of the 200万 target = 75 × 40% = 30.00; −5 for the
    // open finding → 79.00: 3 stars (70 ≤ 79 < 80), commission 70‰.
    let preview = s.get_json("/api/v1/ratings/2025", &ops).await;
    let own = |rows: &Value| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["station"] == OWN_STATION)
            .unwrap()
            .clone()
    };
    let line = own(&preview);
    assert_eq!(
        (
            &line["inspections"],
            &line["average_score"],
            &line["sales_fen"],
            &line["open_findings"],
            &line["points"],
            &line["stars"],
            &line["commission_permille"],
            &line["recorded"]
        ),
        (
            &json!(2),
            &json!("90.00"),
            &json!(150_000_000),
            &json!(1),
            &json!("79.00"),
            &json!(3),
            &json!(70),
            &json!(false)
        ),
        "{line}"
    );
    // Best first: no other station has anything in 2025 (0 points, 1 star).
    assert_eq!(preview[0]["station"], OWN_STATION);
    assert_eq!(preview[1]["points"], "0.00");
    assert_eq!(preview[1]["stars"], 1);

    let (status, body) = post(&s, &ops, "/api/v1/ratings/2025", json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _) = post(&s, &ops, "/api/v1/ratings/2025", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "a year is rated once");
    let (status, body) = post(&s, &ops, "/api/v1/ratings/2099", json!({})).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("year"))
    );
    let recorded = s.get_json("/api/v1/ratings/2025", &ops).await;
    assert_eq!(own(&recorded)["recorded"], true);
    assert_eq!(own(&recorded)["points"], "79.00");
    // The grade sets the commission of every later sale: the other station, rated 1★ (no
    // visits, no sales in 2025), now earns 6.0% — 0.12元 on a 2元 ticket instead of 0.14元.
    assert_eq!(own(&recorded)["commission_permille"], 70);
    let other = recorded
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["station"] == OTHER_STATION)
        .unwrap();
    assert_eq!(
        (&other["stars"], &other["commission_permille"]),
        (&json!(1), &json!(60))
    );
    let draw = s.open_draw("ssq").await;
    let sold = s.sell(OTHER_STATION, json!({"request_id": "after-rating", "game": "ssq", "draw": draw, "selections": ["1 2 3 4 5 6 + 7"]})).await;
    assert_eq!(sold.status(), StatusCode::CREATED);
    let commission = format!("station/{OTHER_STATION}/commission");
    assert_eq!(s.balance(&commission, &finance).await, -12);
    assert_eq!(
        s.get_json("/api/v1/ledger/verify", &finance).await["ok"],
        true
    );
}

#[tokio::test]
async fn a_return_visit_can_raise_a_finding_and_plans_count_their_stations() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let (status, body) = post(&s, &ops, "/api/v1/return-visits", json!({"station": OWN_STATION, "visited_on": "2025-06-01",
        "visitor": "李干事", "person": "购彩者王先生", "outcome": "反映兑奖需排队", "satisfaction": 2,
        "finding": {"description": "兑奖窗口高峰排队", "responsible": "站点业主", "deadline": "2025-06-30"}})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["finding"]["station"], OWN_STATION);
    assert!(body["finding"]["return_visit_id"].as_i64().is_some());
    let (status, body) = post(
        &s,
        &ops,
        "/api/v1/return-visits",
        json!({"station": OWN_STATION, "visited_on": "2025-06-01",
        "visitor": "李干事", "person": "x", "outcome": "y", "satisfaction": 6}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("satisfaction"))
    );
    let listed = s
        .get_json("/api/v1/return-visits?from=2025-01-01&to=2025-12-31", &ops)
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 1);

    // A return visit to a grant's beneficiary: its finding belongs to no station, so no
    // station owner may touch it or add evidence to it.
    let welfare = s.login(Role::Welfare).await;
    let (_, b) = post(
        &s,
        &welfare,
        "/api/v1/welfare/beneficiaries",
        json!({"kind": "institution", "name": "湖塘敬老院", "town": "32041201"}),
    )
    .await;
    let beneficiary = b["beneficiary"]["id"].as_i64().unwrap();
    let (status, body) = post(&s, &ops, "/api/v1/return-visits", json!({"beneficiary_id": beneficiary, "visited_on": "2025-07-01",
        "visitor": "李干事", "person": "院长", "outcome": "资助款未到账", "satisfaction": 1,
        "finding": {"description": "资助款拨付延迟", "responsible": "财务科", "deadline": "2099-07-15"}})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(body["finding"]["station"].is_null());
    let id = body["finding"]["id"].as_i64().unwrap();
    let owner = s.login(Role::StationOwner).await;
    let (status, _) = post(
        &s,
        &owner,
        &format!("/api/v1/findings/{id}/start"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let appeal = json!({"reason": "与本站无关"});
    let (status, _) = post(&s, &owner, &format!("/api/v1/findings/{id}/appeal"), appeal).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        post(&s, &ops, &format!("/api/v1/findings/{id}/start"), json!({}))
            .await
            .0,
        StatusCode::OK
    );

    // Every station inspected twice in 2025: two of the own station, one of another.
    let (status, _) = post(
        &s,
        &ops,
        "/api/v1/visit-plans",
        json!({"year": 2025, "kind": "inspection", "per_station": 2}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    inspect(&s, &ops, OWN_STATION, "2025-03-01", 0, json!([])).await;
    inspect(&s, &ops, OWN_STATION, "2025-09-01", 0, json!([])).await;
    inspect(&s, &ops, OTHER_STATION, "2025-09-01", 0, json!([])).await;
    let plans = s.get_json("/api/v1/visit-plans/2025", &ops).await;
    // The demo's 120 stations: 119 open in 2025 (one closed in 2019); one has its two visits.
    assert_eq!(
        (
            &plans[0]["visits"],
            &plans[0]["stations_open"],
            &plans[0]["stations_done"],
            &plans[0]["coverage_permille"]
        ),
        (&json!(3), &json!(119), &json!(1), &json!(8)),
        "{plans}"
    );
}
