//! Campaigns, activities and evidence over HTTP: a ranking equal to a hand computation on
//! fixture sales (volume and growth, ties by the documented rule), a closed campaign's
//! ranking kept as it stood, rewards; activities; evidence refused when too large or of the
//! wrong type, and a file changed on disk reported.

mod common;

use common::draws::post;
use common::{start, Server, Session, OWN_STATION};
use fucai_app::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn ranking(view: &Value) -> Vec<(String, String)> {
    view["standings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["station"].as_str().unwrap().to_string(),
                s["score"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_campaign_ranks_as_a_hand_count_does_and_keeps_its_ranking_once_closed() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let finance = s.login(Role::Finance).await;
    let (a, b, c, d) = ("32041201001", "32041201002", "32041201003", "32041201004");
    // June 2020 against June 2019, 双色球 (d sold only 福彩3D).
    s.daily_sales(
        &finance,
        &[
            ("2020-06-03", a, "ssq", 1200),
            ("2019-06-03", a, "ssq", 1000),
            ("2020-06-10", b, "ssq", 600),
            ("2019-06-11", b, "ssq", 500),
            ("2020-06-20", c, "ssq", 900),
            ("2019-06-20", c, "ssq", 1000),
            ("2020-06-15", d, "fc3d", 5000),
            ("2020-07-01", a, "ssq", 8000),
        ],
    )
    .await;

    let (status, body) = post(&s, &ops, "/api/v1/campaigns", json!({"code": "SSQ-2020-06", "name": "双色球6月促销",
        "games": ["ssq"], "starts_on": "2020-06-01", "ends_on": "2020-06-30", "metric": "growth", "town": "32041201"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // By hand: a +20.0% and b +20.0% (tie: a sold more), c −10.0%; the town's other seven
    // stations had no June 2019 sales: no growth, after, by sales (all 0) then code.
    let view = s.get_json("/api/v1/campaigns/SSQ-2020-06", &ops).await;
    let got = ranking(&view);
    assert_eq!(got.len(), 10, "the town's ten stations");
    assert_eq!(
        &got[..4],
        &[
            (a.to_string(), "+20.0%".to_string()),
            (b.to_string(), "+20.0%".to_string()),
            (c.to_string(), "-10.0%".to_string()),
            (d.to_string(), "—".to_string()),
        ]
    );
    assert_eq!(view["standings"][0]["sales_fen"], 120_000);
    assert_eq!(view["standings"][0]["base_fen"], 100_000);

    // Volume over both games in the whole district: d 5000, a 1200 (July not counted), c 900, b 600.
    let (status, _) = post(&s, &ops, "/api/v1/campaigns", json!({"code": "ALL-2020-06", "name": "6月销量",
        "games": ["ssq", "fc3d"], "starts_on": "2020-06-01", "ends_on": "2020-06-30", "metric": "volume"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let volume = ranking(&s.get_json("/api/v1/campaigns/ALL-2020-06", &ops).await);
    assert_eq!(volume.len(), 119, "every station open in June 2020");
    assert_eq!(
        volume[..4]
            .iter()
            .map(|(st, sc)| (st.as_str(), sc.as_str()))
            .collect::<Vec<_>>(),
        [(d, "5000.00"), (a, "1200.00"), (c, "900.00"), (b, "600.00")]
    );

    // Closed: the ranking is kept; a late report for June changes the live figure, not it.
    let (status, closed) = post(&s, &ops, "/api/v1/campaigns/ALL-2020-06/close", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    s.daily_sales(&finance, &[("2020-06-30", b, "ssq", 9000)])
        .await;
    let after = s.get_json("/api/v1/campaigns/ALL-2020-06", &ops).await;
    assert_eq!(ranking(&after), ranking(&closed));
    assert_eq!(after["campaign"]["status"], "closed");
    let live = ranking(&s.get_json("/api/v1/campaigns/SSQ-2020-06", &ops).await);
    assert_eq!(
        live[0].0, b,
        "the running campaign sees the late report: b +1820.0%"
    );
    let (status, _) = post(&s, &ops, "/api/v1/campaigns/ALL-2020-06/close", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Rewards: only for a ranked station.
    let (status, body) = post(
        &s,
        &ops,
        "/api/v1/campaigns/SSQ-2020-06/rewards",
        json!({"station": "32041209001", "reward": "x", "given_on": "2020-07-05"}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("station"))
    );
    let (status, body) = post(
        &s,
        &ops,
        "/api/v1/campaigns/SSQ-2020-06/rewards",
        json!({"station": a, "reward": "组织业主观摩开奖直播", "given_on": "2020-07-05"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["rewards"][0]["station"], a);
    let csv = s
        .get_text("/api/v1/campaigns/ALL-2020-06/export", &ops)
        .await;
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with(&format!("1,{d},5000.00")),
        "{csv}"
    );
}

#[tokio::test]
async fn activities_are_kept_with_the_staff_who_took_part() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let body = json!({"kind": "team_building", "title": "青年团队拓展", "starts_on": "2019-05-05", "ends_on": "2019-05-06",
        "place": "溧阳南山竹海", "organiser": "区福彩中心团支部", "participants": 40, "staff": ["operations", "finance"],
        "description": "40名青年员工参加"});
    let (status, created) = post(&s, &ops, "/api/v1/activities", body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["staff"], json!(["finance", "operations"]));
    let mut bad = body.clone();
    bad["staff"] = json!(["nobody"]);
    let (status, answer) = post(&s, &ops, "/api/v1/activities", bad).await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("staff"))
    );
    let mut bad = body;
    bad["ends_on"] = json!("2019-05-01");
    assert_eq!(
        post(&s, &ops, "/api/v1/activities", bad).await.0,
        StatusCode::BAD_REQUEST
    );
    let listed = s
        .get_json("/api/v1/activities?from=2019-05-06&to=2019-05-31", &ops)
        .await;
    assert_eq!(
        listed.as_array().unwrap().len(),
        1,
        "one that overlaps the period"
    );
    let csv = s
        .get_text(
            "/api/v1/activities/export?from=2019-01-01&to=2019-12-31",
            &ops,
        )
        .await;
    assert!(
        csv.contains("青年团队拓展") && csv.contains(",40,"),
        "{csv}"
    );
}

async fn upload(
    s: &Server,
    who: &Session,
    subject: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let r = s
        .client
        .post(s.url(&format!("/api/v1/evidence?subject={subject}&name={name}")))
        .headers(s.session_headers(who))
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn evidence_is_refused_when_too_large_or_not_an_image_and_a_changed_file_is_reported() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let owner = s.login(Role::StationOwner).await;
    let auditor = s.login(Role::Auditor).await;
    let (_, visit) = post(&s, &ops, "/api/v1/visits", json!({"station": OWN_STATION, "kind": "visit", "visited_on": "2025-03-01",
        "visitors": "张科长", "findings": [{"description": "未公布开奖结果", "responsible": "站点业主", "deadline": "2099-01-01"}]})).await;
    let finding = format!("finding:{}", visit["findings"][0]["id"]);

    let png = [
        b"\x89PNG\r\n\x1A\n".as_slice(),
        b"photo of the posted results",
    ]
    .concat();
    let (status, first) = upload(&s, &owner, &finding, "results.png", png.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(
        (first["mime"].as_str(), first["size"].as_i64()),
        (Some("image/png"), Some(png.len() as i64))
    );
    let sha = first["sha256"].as_str().unwrap().to_string();
    // The same content again: stored once.
    let (_, again) = upload(&s, &ops, &finding, "copy.png", png.clone()).await;
    assert_eq!(again["sha256"], sha.as_str());

    let (status, body) = upload(&s, &owner, &finding, "notes.txt", b"just text".to_vec()).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("file")),
        "wrong type"
    );
    let mut big = vec![0u8; 10 * 1024 * 1024 + 1];
    big[..8].copy_from_slice(b"\x89PNG\r\n\x1A\n");
    let (status, body) = upload(&s, &owner, &finding, "huge.png", big).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("file")),
        "oversize"
    );
    let (status, _) = upload(&s, &owner, "finding:999999", "x.png", png.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let listed = s
        .get_json(&format!("/api/v1/evidence?subject={finding}"), &owner)
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(
        s.get_json("/api/v1/evidence/check", &auditor).await,
        json!([])
    );
    let r = s
        .client
        .get(s.url(&format!("/api/v1/evidence/{sha}")))
        .headers(s.session_headers(&ops))
        .send()
        .await
        .unwrap();
    assert_eq!(r.bytes().await.unwrap().as_ref(), png.as_slice());

    // Someone edits the stored photo: the check names it, and it is no longer served.
    let path = s.app.evidence_dir().join(&sha);
    std::fs::write(&path, b"\x89PNG\r\n\x1A\nsomething else").unwrap();
    let problems = s.get_json("/api/v1/evidence/check", &auditor).await;
    assert_eq!(problems[0]["sha256"], sha.as_str());
    assert!(
        problems[0]["problem"]
            .as_str()
            .unwrap()
            .starts_with("changed"),
        "{problems}"
    );
    let r = s
        .client
        .get(s.url(&format!("/api/v1/evidence/{sha}")))
        .headers(s.session_headers(&ops))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    std::fs::remove_file(&path).unwrap();
    let problems = s.get_json("/api/v1/evidence/check", &auditor).await;
    assert_eq!(problems[0]["problem"], "missing");
}
