//! The welfare fund through HTTP: maker-checker, budgets and balances that never overdraw,
//! 身份证 checks, masking with audited unmasked reads, and the public disclosure.

mod common;

use common::{error_code, start, Server, Session, OWN_STATION};
use fucai_app::demo::id_number as demo_id_number;
use fucai_app::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

const TOWN: &str = "32041201";

async fn post(s: &Server, who: &Session, path: &str, body: Value) -> reqwest::Response {
    s.client
        .post(s.url(path))
        .headers(s.session_headers(who))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Funds the district welfare account with one day of upstream sales: 1,000,000元 of 双色球
/// → 36% welfare × 31.6% district = 113,760元.
async fn fund_district(s: &Server) {
    let finance = s.login(Role::Finance).await;
    let file =
        format!("date,station,game,amount,bets\n2019-01-02,{OWN_STATION},ssq,1000000,500000\n");
    assert_eq!(
        s.upload("/api/v1/daily-sales/import", &finance, file)
            .await
            .status(),
        StatusCode::OK
    );
}

fn person(name: &str, n: u16) -> Value {
    let birth = chrono::NaiveDate::from_ymd_opt(1950, 3, 1).unwrap();
    json!({"kind": "person", "name": name, "id_number": demo_id_number("320412", birth, n), "town": TOWN, "household": "户主", "contact": "13800000000"})
}

async fn programme(
    s: &Server,
    maker: &Session,
    checker: &Session,
    code: &str,
    budget: &str,
) -> StatusCode {
    let r = post(s, maker, "/api/v1/welfare/programmes", json!({"code": code, "name": "测试项目", "category": "poverty", "year": 2019, "budget": budget})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    post(
        s,
        checker,
        &format!("/api/v1/welfare/programmes/{code}/approve"),
        json!({}),
    )
    .await
    .status()
}

#[tokio::test]
async fn a_programme_budget_cannot_exceed_the_welfare_fund() {
    let s = start().await;
    let (officer, finance) = (s.login(Role::Welfare).await, s.login(Role::Finance).await);
    // Nothing sold yet: the district's welfare fund is empty.
    assert_eq!(
        programme(&s, &officer, &finance, "P-EMPTY", "1000").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let entries = s.entry_count();
    fund_district(&s).await;
    assert_eq!(
        programme(&s, &officer, &finance, "P-BIG", "113761").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(s.entry_count(), entries + 1, "only the sales import posted");
    assert_eq!(
        programme(&s, &officer, &finance, "P-OK", "113760").await,
        StatusCode::OK
    );
    assert!(s.ledger_ok());
}

#[tokio::test]
async fn grants_need_a_second_person_and_stay_within_the_budget() {
    let s = start().await;
    fund_district(&s).await;
    let (officer, finance, admin) = (
        s.login(Role::Welfare).await,
        s.login(Role::Finance).await,
        s.login(Role::Admin).await,
    );
    assert_eq!(
        programme(&s, &officer, &finance, "P1", "5000").await,
        StatusCode::OK
    );
    let b: Value = post(
        &s,
        &officer,
        "/api/v1/welfare/beneficiaries",
        person("李秀英", 1),
    )
    .await
    .json()
    .await
    .unwrap();
    let id = b["beneficiary"]["id"].as_i64().unwrap();

    // The admin proposes and may not approve their own grant.
    let g: Value = post(&s, &admin, "/api/v1/welfare/grants", json!({"programme": "P1", "grants": [{"beneficiary_id": id, "amount": "3000", "purpose": "助学", "date": "2019-03-01"}]})).await.json().await.unwrap();
    let own = g[0]["id"].as_i64().unwrap();
    let (status, code, _) = error_code(
        post(
            &s,
            &admin,
            &format!("/api/v1/welfare/grants/{own}/approve"),
            json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    // Finance approves it: posted and paid.
    let r = post(
        &s,
        &finance,
        &format!("/api/v1/welfare/grants/{own}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "paid");

    // 3000 of 5000 spent: a 2001元 grant is refused and posts nothing.
    let g: Value = post(&s, &officer, "/api/v1/welfare/grants", json!({"programme": "P1", "grants": [{"beneficiary_id": id, "amount": "2001", "purpose": "助学", "date": "2019-03-02"}]})).await.json().await.unwrap();
    let over = g[0]["id"].as_i64().unwrap();
    let entries = s.entry_count();
    let (status, _, message) = error_code(
        post(
            &s,
            &finance,
            &format!("/api/v1/welfare/grants/{over}/approve"),
            json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
    assert_eq!(s.entry_count(), entries);
    // A rejection needs a reason and is final.
    let r = post(
        &s,
        &finance,
        &format!("/api/v1/welfare/grants/{over}/reject"),
        json!({"reason": "超出预算"}),
    )
    .await;
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "rejected");
    assert!(s.ledger_ok());
}

#[tokio::test]
async fn a_batch_is_one_approval_with_per_row_results() {
    let s = start().await;
    fund_district(&s).await;
    let (officer, finance) = (s.login(Role::Welfare).await, s.login(Role::Finance).await);
    assert_eq!(
        programme(&s, &officer, &finance, "P2", "10000").await,
        StatusCode::OK
    );
    let mut grants = Vec::new();
    for n in 0..6u16 {
        let b: Value = post(
            &s,
            &officer,
            "/api/v1/welfare/beneficiaries",
            person(
                &format!("王{}", ["一", "二", "三", "四", "五", "六"][n as usize]),
                10 + n,
            ),
        )
        .await
        .json()
        .await
        .unwrap();
        grants.push(json!({"beneficiary_id": b["beneficiary"]["id"], "amount": "2000", "purpose": "春节慰问", "date": "2019-01-24"}));
    }
    let proposed: Value = post(
        &s,
        &officer,
        "/api/v1/welfare/grants",
        json!({"programme": "P2", "grants": grants}),
    )
    .await
    .json()
    .await
    .unwrap();
    let batch = proposed[0]["batch_id"].as_i64().unwrap();
    let decisions: Value = post(
        &s,
        &finance,
        &format!("/api/v1/welfare/batches/{batch}/approve"),
        json!({}),
    )
    .await
    .json()
    .await
    .unwrap();
    let paid: Vec<bool> = decisions
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["paid"].as_bool().unwrap())
        .collect();
    // 10,000元 of budget pays five of the six 2,000元 grants.
    assert_eq!(paid, [true, true, true, true, true, false]);
    assert!(decisions[5]["message"]
        .as_str()
        .unwrap()
        .contains("does not hold enough"));
    let check: Value = s.get_json("/api/v1/ledger/verify", &finance).await;
    assert_eq!(check["ok"], true);
}

#[tokio::test]
async fn identity_numbers_are_checked_and_never_registered_twice() {
    let s = start().await;
    let officer = s.login(Role::Welfare).await;
    let r = post(
        &s,
        &officer,
        "/api/v1/welfare/beneficiaries",
        person("赵国平", 7),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let (status, _, _) = error_code(
        post(
            &s,
            &officer,
            "/api/v1/welfare/beneficiaries",
            person("赵国平", 7),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let mut bad = person("钱小燕", 8);
    let id = bad["id_number"].as_str().unwrap().to_string();
    let last = if id.ends_with('0') { '1' } else { '0' };
    bad["id_number"] = json!(format!("{}{last}", &id[..17]));
    let r = post(&s, &officer, "/api/v1/welfare/beneficiaries", bad).await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["field"], "id_number");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("check character"),
        "{body}"
    );
    // Same name, birth date and town under another number: registered, flagged.
    let mut twin = person("赵国平", 9);
    twin["household"] = json!("另一户");
    let added: Value = post(&s, &officer, "/api/v1/welfare/beneficiaries", twin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(added["likely_duplicates"].as_array().unwrap().len(), 1);
    // An import with one bad row imports nothing.
    let file = format!("kind,name,id_number,town,household,tags,contact\nperson,孙文斌,{},{TOWN},,,\nperson,周春梅,123,{TOWN},,,\n", demo_id_number("320412", chrono::NaiveDate::from_ymd_opt(1960, 1, 1).unwrap(), 55));
    let r = s
        .upload("/api/v1/welfare/beneficiaries/import", &officer, file)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["errors"][0]["row"], 2);
    assert_eq!(
        s.get_json("/api/v1/welfare/beneficiaries", &officer)
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn personal_data_is_masked_and_unmasked_reads_are_audited() {
    let s = start().await;
    let officer = s.login(Role::Welfare).await;
    let finance = s.login(Role::Finance).await;
    post(
        &s,
        &officer,
        "/api/v1/welfare/beneficiaries",
        person("张小三", 21),
    )
    .await;
    let masked = s.get_json("/api/v1/welfare/beneficiaries", &finance).await;
    assert_eq!(masked[0]["name"], "张*三");
    assert!(masked[0]["id_number"]
        .as_str()
        .unwrap()
        .contains("**********"));
    assert_eq!(masked[0]["contact"], "");
    let r = s
        .client
        .get(s.url("/api/v1/welfare/beneficiaries?unmasked=true"))
        .headers(s.session_headers(&finance))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r).await.0, StatusCode::FORBIDDEN);
    let before = s.app.store().read(|r| r.verify_audit()).unwrap().0;
    let full = s
        .get_json("/api/v1/welfare/beneficiaries?unmasked=true", &officer)
        .await;
    assert_eq!(full[0]["name"], "张小三");
    let tail = s.app.store().read(|r| r.audit_tail(1)).unwrap();
    assert_eq!(
        s.app.store().read(|r| r.verify_audit()).unwrap().0,
        before + 1
    );
    assert_eq!(
        (tail[0].action.as_str(), tail[0].actor.as_str()),
        ("beneficiary.read_unmasked", "user:welfare")
    );
}

#[tokio::test]
async fn the_reference_year_charity_events_are_disclosed_with_masked_names() {
    let s = start().await;
    fucai_app::demo::seed_reference_year(&s.app).await.unwrap();
    let lines: Value = s
        .client
        .get(s.url("/api/v1/public/welfare/disclosure?year=2019"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let lines = lines.as_array().unwrap();
    assert_eq!(lines.len(), 14);
    assert_eq!(
        lines
            .iter()
            .map(|l| l["amount_fen"].as_i64().unwrap())
            .sum::<i64>(),
        12_400_000
    );
    let poverty: Vec<&Value> = lines.iter().filter(|l| l["category"] == "济困").collect();
    assert_eq!(poverty.len(), 12);
    assert!(poverty.iter().all(|l| l["date"] == "2019-01-24"
        && l["amount_fen"] == 200_000
        && l["beneficiary"].as_str().unwrap().contains('*')));
    let towns: std::collections::HashSet<&str> = poverty
        .iter()
        .map(|l| l["town"].as_str().unwrap())
        .collect();
    assert_eq!(towns.len(), 6);
    assert!(lines.iter().any(|l| l["category"] == "扶老"
        && l["beneficiary"] == "常州市武进区老年服务中心"
        && l["amount_fen"] == 5_000_000));
    assert!(lines.iter().any(|l| l["category"] == "救孤"
        && l["beneficiary"] == "常州市武进区儿童福利院"
        && l["amount_fen"] == 5_000_000));
    let page = s
        .client
        .get(s.url("/welfare/disclosure?year=2019"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("2019年彩票公益金使用公告")
            && page.contains("124,000.00元")
            && page.contains("常州市武进区儿童福利院")
    );
    let csv = s
        .client
        .get(s.url("/api/v1/public/welfare/disclosure?year=2019&format=csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 15);
    let finance = s.login(Role::Finance).await;
    let report = s
        .get_json("/api/v1/welfare/report?year=2019", &finance)
        .await;
    assert_eq!(report["total_paid_fen"], 12_400_000);
    assert_eq!(report["by_category"].as_array().unwrap().len(), 3);
    assert_eq!(
        s.get_json("/api/v1/ledger/verify", &finance).await["ok"],
        true
    );
}
