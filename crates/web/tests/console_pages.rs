//! The staff console over plain HTTP (no browser): every page of every role's menu renders,
//! bad filters and unknown pages are Chinese pages, and a register import uploaded from the
//! console imports all or nothing — never without the form's CSRF token.

mod common;

use common::{Server, Session};
use fucai_app::Role;
use reqwest::header::{ACCEPT, COOKIE, LOCATION};
use reqwest::multipart::{Form, Part};
use reqwest::{redirect, Client, StatusCode};

/// A client that does not follow redirects, so that post/redirect/get shows.
fn client() -> Client {
    Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(s: &Server, who: &Session, path: &str) -> (StatusCode, String) {
    let r = client()
        .get(s.url(path))
        .header(COOKIE, &who.cookie)
        .header(ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

fn towns(s: &Server) -> usize {
    s.app
        .towns(&common::draws::principal(s, Role::Admin))
        .unwrap()
        .len()
}

async fn import(s: &Server, who: &Session, csrf: Option<&str>, csv: &str) -> reqwest::Response {
    let mut form = Form::new().text("kind", "towns").part(
        "file",
        Part::bytes(csv.as_bytes().to_vec())
            .file_name("towns.csv")
            .mime_str("text/csv")
            .unwrap(),
    );
    if let Some(token) = csrf {
        form = form.text("csrf", token.to_string());
    }
    client()
        .post(s.url("/console/imports"))
        .header(COOKIE, &who.cookie)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn every_menu_page_renders_for_every_role() {
    let s = common::start().await;
    for role in Role::ALL {
        let who = s.login(role).await;
        let principal = common::draws::principal(&s, role);
        for href in fucai_web::console::menu_hrefs(&principal) {
            let (status, body) = get(&s, &who, href).await;
            assert_eq!(status, StatusCode::OK, "{role} {href}: {body}");
            assert!(body.contains("<h1>"), "{role} {href}");
            assert!(body.contains("退出登录"), "{role} {href}: signed in");
        }
    }
    let admin = s.login(Role::Admin).await;
    for path in [
        "/console/registers?tab=centers",
        "/console/registers?tab=terminals",
        "/console/registers?tab=people",
        "/console/registers?tab=users",
        "/console/stations/32041201001",
        "/console/stations/32041201001/statement?from=2019-01-01&to=2019-12-31",
        "/console/welfare/report?year=2019",
        "/console/reports/sales?from=2019-01-01&to=2019-08-31&by=town,game",
        "/console/audit?action=session.&page=1",
        "/console/audit/verify",
    ] {
        let (status, body) = get(&s, &admin, path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
    // The users tab shows accounts, never a password hash.
    let (_, users) = get(&s, &admin, "/console/registers?tab=users").await;
    assert!(users.contains("finance") && !users.contains("$argon2"));
    // A draw on sale offers its commitment and its seal, each through a confirmation page.
    let draw = s.open_draw("ssq").await;
    let (_, page) = get(&s, &admin, &format!("/console/draws/ssq/{draw}")).await;
    assert!(
        page.contains("提交承诺") && page.contains("封存销售数据"),
        "{page}"
    );
    let (status, confirm) = get(&s, &admin, &format!("/console/draws/ssq/{draw}/commit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(confirm.contains("drand") && confirm.contains("不可撤销"));
}

#[tokio::test]
async fn bad_requests_are_chinese_pages() {
    let s = common::start().await;
    let finance = s.login(Role::Finance).await;
    let (status, body) = get(&s, &finance, "/console/draws?status=bogus").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("请求有误") && body.contains("status"),
        "{body}"
    );
    let (status, body) = get(&s, &finance, "/console/draws/ssq/1999001").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("页面不存在"), "{body}");
    let (status, body) = get(&s, &finance, "/console/no-such-page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("页面不存在"), "{body}");
    let (status, body) = get(&s, &finance, "/console/audit").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body.contains("无权访问") && body.contains("退出登录"),
        "the menu stays: {body}"
    );
    // Signed out: the sign-in page, then back.
    let r = client()
        .get(s.url("/console/finance/balances"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()[LOCATION],
        "/console/login?next=%2Fconsole%2Ffinance%2Fbalances"
    );
}

#[tokio::test]
async fn an_import_from_the_console_is_all_or_nothing_and_needs_its_token() {
    let s = common::start().await;
    let ops = s.login(Role::Operations).await;
    let before = towns(&s);

    // Without the form's token: refused, nothing imported.
    let good = "code,name,center\n32041299,测试街道,320412\n";
    let r = import(&s, &ops, None, good).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("CSRF"));
    assert_eq!(towns(&s), before);

    // A file with a bad row: every problem listed, nothing imported.
    let bad = "code,name,center\n32041298,好街道,320412\n32041297,,nowhere\n";
    let r = import(&s, &ops, Some(&ops.csrf), bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("整个文件均未导入"), "{page}");
    assert_eq!(towns(&s), before);

    // A good file: imported, and the next page says so once.
    let r = import(&s, &ops, Some(&ops.csrf), good).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    assert_eq!(towns(&s), before + 1);

    // People without an import right do not get the page.
    let auditor = s.login(Role::Auditor).await;
    let r = import(&s, &auditor, Some(&auditor.csrf), good).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn post_form(
    s: &Server,
    who: &Session,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("csrf", &who.csrf));
    let r = client()
        .post(s.url(path))
        .header(COOKIE, &who.cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    let location = r
        .headers()
        .get(LOCATION)
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.status(), location, r.text().await.unwrap())
}

#[tokio::test]
async fn a_programme_and_a_remittance_through_the_forms() {
    let s = common::start().await;
    let (welfare, finance) = (s.login(Role::Welfare).await, s.login(Role::Finance).await);
    // Fund the district, then a programme within what it holds.
    let sales = format!(
        "date,station,game,amount,bets\n2019-01-02,{},ssq,1000000,500000\n",
        common::OWN_STATION
    );
    assert!(s
        .upload("/api/v1/daily-sales/import", &finance, sales)
        .await
        .status()
        .is_success());
    let fields = [
        ("code", "P-FORM"),
        ("name", "助残康复"),
        ("category", "disabled"),
        ("year", "2019"),
    ];
    // The budget typed wrong comes back beside its field.
    let mut bad = fields.to_vec();
    bad.push(("budget", "十万"));
    let (status, _, page) = post_form(&s, &welfare, "/console/welfare/programmes", &bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("id=\"e-budget\""), "{page}");
    let mut good = fields.to_vec();
    good.push(("budget", "50000"));
    let (status, location, _) = post_form(&s, &welfare, "/console/welfare/programmes", &good).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/console/welfare/programmes")
    );
    // The maker cannot approve it; the checker sees the budget first, then approves.
    let (status, _, _) = post_form(
        &s,
        &welfare,
        "/console/welfare/programmes/P-FORM/approve",
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, confirm) = get(&s, &finance, "/console/welfare/programmes/P-FORM/approve").await;
    assert!(confirm.contains("50,000.00元"), "{confirm}");
    let (status, _, _) = post_form(
        &s,
        &finance,
        "/console/welfare/programmes/P-FORM/approve",
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let admin = common::draws::principal(&s, Role::Admin);
    let p = s
        .app
        .programmes(&admin)
        .unwrap()
        .into_iter()
        .find(|p| p.code == "P-FORM")
        .unwrap();
    assert_eq!(p.status, fucai_store::ProgrammeStatus::Approved);

    // A station's remittance from its statement page.
    let path = format!(
        "/console/stations/{}/remittances?from=2019-01-01&to=2019-12-31",
        common::OWN_STATION
    );
    let (status, _, page) = post_form(
        &s,
        &finance,
        &path,
        &[
            ("amount", "0"),
            ("method", "transfer"),
            ("reference", "B-1"),
            ("paid_on", "2019-01-03"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    let (status, location, _) = post_form(
        &s,
        &finance,
        &path,
        &[
            ("amount", "5000"),
            ("method", "transfer"),
            ("reference", "B-1"),
            ("paid_on", "2019-01-03"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, statement) = get(&s, &finance, &location).await;
    assert!(
        statement.contains("B-1"),
        "the remittance is on the statement: {statement}"
    );
}
