//! Overdue rectifications with the process clock moved (its own test binary: the clock is
//! process-wide).

mod common;

use common::draws::post;
use common::{start, Server, Session, OWN_STATION};
use fucai_app::Role;
use reqwest::StatusCode;
use serde_json::json;

async fn overdue(s: &Server, who: &Session) -> usize {
    s.get_json("/api/v1/findings?overdue=true", who)
        .await
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_finding_is_overdue_once_its_deadline_passes_until_the_station_submits() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let today = fucai_app::beijing_date(fucai_app::now_ms());
    let deadline = (today + chrono::Duration::days(3)).to_string();
    let (status, body) = post(
        &s,
        &ops,
        "/api/v1/visits",
        json!({"station": OWN_STATION, "kind": "visit", "visited_on": today.to_string(), "visitors": "张科长",
               "findings": [{"description": "未公布开奖结果", "responsible": "站点业主", "deadline": deadline}]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["findings"][0]["id"].as_i64().unwrap();
    assert_eq!(overdue(&s, &ops).await, 0);

    // Four days on: past the deadline (sessions signed in now; the earlier ones expired).
    fucai_app::shift_clock(4 * 86_400_000);
    let ops = s.login(Role::Operations).await;
    let owner = s.login(Role::StationOwner).await;
    assert_eq!(overdue(&s, &ops).await, 1);
    let detail = s.get_json(&format!("/api/v1/findings/{id}"), &owner).await;
    assert_eq!(detail["overdue"], true);
    let own = s
        .get_json(
            &format!("/api/v1/findings?station={OWN_STATION}&overdue=true"),
            &owner,
        )
        .await;
    assert_eq!(own.as_array().unwrap().len(), 1);
    // Submitted: waiting on the center now, not overdue.
    let (status, _) = post(
        &s,
        &owner,
        &format!("/api/v1/findings/{id}/submit"),
        json!({"evidence": "已公布"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(overdue(&s, &ops).await, 0);
    // Reopened after the deadline: overdue again.
    let (status, _) = post(
        &s,
        &ops,
        &format!("/api/v1/findings/{id}/reopen"),
        json!({"reason": "未见公布"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(overdue(&s, &ops).await, 1);
    // Back to today: not past the deadline.
    fucai_app::shift_clock(0);
    let ops = s.login(Role::Operations).await;
    assert_eq!(overdue(&s, &ops).await, 0);
}
