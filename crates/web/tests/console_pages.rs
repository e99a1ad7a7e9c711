//! The staff console over plain HTTP (no browser): every page of every role's menu renders,
//! bad filters and unknown pages are Chinese pages, and a register import uploaded from the
//! console imports all or nothing — never without the form's CSRF token.

mod common;

use common::PNG;

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

/// A posted form's status, where it redirects to (if it does) and its page.
async fn answer(r: reqwest::Response) -> (StatusCode, String, String) {
    let location = r
        .headers()
        .get(LOCATION)
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.status(), location, r.text().await.unwrap())
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
    answer(r).await
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

async fn write_article(
    s: &Server,
    who: &Session,
    path: &str,
    fields: &[(&str, &str)],
    image: Option<&[u8]>,
) -> (StatusCode, String, String) {
    let mut form = Form::new().text("csrf", who.csrf.clone());
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some(bytes) = image {
        form = form.part(
            "image",
            Part::bytes(bytes.to_vec())
                .file_name("photo.png")
                .mime_str("image/png")
                .unwrap(),
        );
    }
    let r = client()
        .post(s.url(path))
        .header(COOKIE, &who.cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    answer(r).await
}

async fn public(s: &Server, path: &str) -> (StatusCode, String) {
    let r = client()
        .get(s.url(path))
        .header(ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn news_is_written_previewed_published_and_withdrawn() {
    let s = common::start().await;
    let ops = s.login(Role::Operations).await;
    let title = "2019年春节休市公告";
    let body = "根据财政部通知，2019年2月4日至2月10日全国福利彩票休市。\n\n休市期间暂停销售和开奖，兑奖期限顺延。";
    let fields = [
        ("kind", "notice"),
        ("title", title),
        ("body", body),
        ("image_alt", ""),
    ];

    // An image without its description is refused beside that field; nothing is written.
    let (status, _, page) = write_article(&s, &ops, "/console/news", &fields, Some(PNG)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert!(page.contains("id=\"e-image_alt\""), "{page}");
    assert!(page.contains(title), "the form keeps what was typed");
    let (_, list) = get(&s, &ops, "/console/news").await;
    assert!(!list.contains(title));

    let fields = [
        ("kind", "notice"),
        ("title", title),
        ("body", body),
        ("image_alt", "福彩中心门口张贴的休市告示"),
    ];
    let (status, location, _) = write_article(&s, &ops, "/console/news", &fields, Some(PNG)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();

    // A draft: staff preview it in the portal's layout; the public does not see it.
    let (_, preview) = get(&s, &ops, &format!("/console/news/{id}/preview")).await;
    assert!(preview.contains("预览") && preview.contains("休市期间暂停销售和开奖"));
    assert!(
        preview.contains("alt=\"福彩中心门口张贴的休市告示\""),
        "{preview}"
    );
    assert_eq!(
        public(&s, &format!("/news/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        public(&s, &format!("/news/{id}/image")).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, news) = public(&s, "/news").await;
    assert!(
        !news.contains(title) && news.contains("暂无已发布的新闻公告"),
        "{news}"
    );

    // Publishing is confirmed first, and not without the form's token.
    let (_, confirm) = get(&s, &ops, &format!("/console/news/{id}/publish")).await;
    assert!(confirm.contains("确认发布") && confirm.contains("不能再编辑"));
    let refused = client()
        .post(s.url(&format!("/console/news/{id}/publish")))
        .header(COOKIE, &ops.cookie)
        .form(&[("x", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        public(&s, &format!("/news/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, _, _) = post_form(&s, &ops, &format!("/console/news/{id}/publish"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Published: on the home page, in the list, readable with its image.
    let (status, article) = public(&s, &format!("/news/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        article.contains("<p>根据财政部通知，2019年2月4日至2月10日全国福利彩票休市。</p>")
            && article.contains("<p>休市期间暂停销售和开奖，兑奖期限顺延。</p>"),
        "two paragraphs: {article}"
    );
    assert!(!article.contains("预览"));
    let image = client()
        .get(s.url(&format!("/news/{id}/image")))
        .send()
        .await
        .unwrap();
    assert_eq!(image.headers()["content-type"], "image/png");
    assert_eq!(image.bytes().await.unwrap().as_ref(), PNG);
    assert!(public(&s, "/").await.1.contains(title));
    assert!(public(&s, "/news?kind=notice").await.1.contains(title));
    assert!(!public(&s, "/news?kind=news").await.1.contains(title));
    assert_eq!(
        public(&s, "/news?kind=rumour").await.0,
        StatusCode::BAD_REQUEST
    );

    // A published article is not edited; it may be withdrawn.
    let (status, _, _) =
        write_article(&s, &ops, &format!("/console/news/{id}/edit"), &fields, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = post_form(&s, &ops, &format!("/console/news/{id}/withdraw"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        public(&s, &format!("/news/{id}")).await.0,
        StatusCode::NOT_FOUND
    );

    // Finance does not write the portal's news.
    let finance = s.login(Role::Finance).await;
    assert_eq!(
        get(&s, &finance, "/console/news").await.0,
        StatusCode::FORBIDDEN
    );
    // Every step is in the audit chain.
    let log = s
        .app
        .audit_log(
            &common::draws::principal(&s, Role::Admin),
            &fucai_store::AuditQuery {
                action: Some("article.".into()),
                actor: None,
                object: Some(format!("article:{id}")),
                from_ms: None,
                to_ms: None,
                limit: 50,
                offset: 0,
            },
        )
        .unwrap();
    let mut actions: Vec<&str> = log.1.iter().map(|r| r.action.as_str()).collect();
    actions.sort();
    assert_eq!(
        actions,
        ["article.published", "article.withdrawn", "article.write"]
    );
}
