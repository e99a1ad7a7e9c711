//! The staff console in a real headless Chromium driven over WebDriver (Debian's `chromium`
//! and `chromium-driver`), against a served demo database file: every role's menu and the
//! Chinese 403 page, a grant proposed by one person and approved by another, a draw sealed,
//! resulted by two people, settled and announced, a prize paid with its tax shown first and
//! paid once, and a form without its CSRF token refused. Screenshots go to
//! `target/tmp/console-screenshots/`.

mod common;

use common::browser::{browser, click_through, fill, open_browser, shot, start_driver, text_of};
use common::draws::{post, sell, short_draw, ticket, wait_for_cutoff};
use common::{Server, OWN_STATION};
use fantoccini::{Client, Locator};
use fucai_app::{now_ms, Principal, Role};
use fucai_ledger::Money;
use serde_json::json;

/// Where this test's screenshots go, under `target/tmp/`.
const SHOTS: &str = "console-screenshots";

async fn submit(c: &Client, form_css: &str) {
    click_through(
        c,
        Locator::Css(&format!("{form_css} button[type='submit']")),
    )
    .await;
}

async fn press_confirm(c: &Client) {
    click_through(c, Locator::Id("confirm")).await;
}

async fn follow(c: &Client, link_text: &str) {
    click_through(c, Locator::LinkText(link_text)).await;
}

async fn sign_in(c: &Client, s: &Server, role: Role) {
    let (username, password) = s.password(role);
    c.goto(&s.url("/console/login")).await.unwrap();
    fill(c, "username", &username).await;
    fill(c, "password", &password).await;
    submit(c, "form.login").await;
    assert_eq!(
        c.current_url().await.unwrap().path(),
        "/console",
        "{role} lands on the console"
    );
}

async fn sign_out(c: &Client) {
    click_through(c, Locator::Css("header form button")).await;
    assert_eq!(c.current_url().await.unwrap().path(), "/console/login");
}

async fn flash(c: &Client) -> String {
    text_of(c, ".flash").await
}

fn principal(s: &Server, role: Role) -> Principal {
    common::draws::principal(s, role)
}

/// The district's bank balance as the ledger has it.
fn district_bank(s: &Server) -> Money {
    s.app
        .balances(&principal(s, Role::Admin))
        .unwrap()
        .into_iter()
        .find(|b| b.code.starts_with("district/") && b.code.ends_with("/bank"))
        .map_or(Money::ZERO, |b| b.balance)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_work_in_the_console() {
    let Some((chromedriver, chromium)) = browser() else {
        eprintln!(
            "skipped: no chromedriver/chromium here (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let s = common::start().await;
    let driver = start_driver(&chromedriver).await;
    let c = open_browser(&driver, &chromium, 1366).await;

    // Signed out: the sign-in page, and back to the page asked for after signing in.
    c.goto(&s.url("/console/stations")).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), "/console/login");
    shot(&c, SHOTS, "login").await;

    // Each role sees exactly its menu; a page outside it is the Chinese 403 page.
    for role in Role::ALL {
        sign_in(&c, &s, role).await;
        let links = c.find_all(Locator::Css("nav.menu a")).await.unwrap();
        let mut shown = Vec::new();
        for l in links {
            shown.push(l.attr("href").await.unwrap().unwrap());
        }
        let expected = fucai_web::console::menu_hrefs(&principal(&s, role));
        assert_eq!(shown, expected, "{role}'s menu");
        shot(&c, SHOTS, &format!("home-{}", role.code())).await;
        let forbidden = [
            "/console/audit",
            "/console/claims",
            "/console/finance/balances",
            "/console/welfare/grants",
            "/console/stations",
        ]
        .into_iter()
        .find(|p| !expected.contains(p));
        if let Some(path) = forbidden {
            c.goto(&s.url(path)).await.unwrap();
            assert_eq!(text_of(&c, "h1").await, "无权访问", "{role} at {path}");
            let body = c.source().await.unwrap();
            assert!(!body.contains("\"error\""), "no raw JSON: {body}");
            if role == Role::StationClerk {
                shot(&c, SHOTS, "forbidden").await;
            }
        }
        sign_out(&c).await;
    }

    grant_needs_two_people(&c, &s).await;
    draw_sealed_resulted_settled_and_prize_paid(&c, &s).await;

    // The dashboard with its charts drawn from the vendored ECharts, over 2019 (the day of
    // sales imported above).
    sign_in(&c, &s, Role::Finance).await;
    c.goto(&s.url("/console?from=2019-01-01&to=2019-08-31"))
        .await
        .unwrap();
    let summary = text_of(&c, ".summary").await;
    assert!(summary.contains("电脑票销售100万元"), "{summary}");
    c.wait()
        .for_element(Locator::Css(
            "[data-chart='by-month'][data-drawn='true'] canvas",
        ))
        .await
        .unwrap();
    shot(&c, SHOTS, "dashboard").await;
    // At a 1024 px tablet nothing scrolls sideways.
    c.set_window_size(1024, 900).await.unwrap();
    let overflow = c
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(overflow.as_i64(), Some(0), "no sideways scroll at 1024 px");
    shot(&c, SHOTS, "dashboard-1024").await;
    c.close().await.unwrap();
}

/// welfare proposes, finance sees the amount and the accounts, approves; the bank pays it.
async fn grant_needs_two_people(c: &Client, s: &Server) {
    let admin = principal(s, Role::Admin);
    // The district's welfare fund from a day's sales, an approved programme, a beneficiary.
    let (welfare, finance) = (s.login(Role::Welfare).await, s.login(Role::Finance).await);
    let sales =
        format!("date,station,game,amount,bets\n2019-01-02,{OWN_STATION},ssq,1000000,500000\n");
    let r = s
        .upload("/api/v1/daily-sales/import", &finance, sales)
        .await;
    assert!(r.status().is_success());
    let (st, _) = post(s, &welfare, "/api/v1/welfare/programmes", json!({"code": "P-CONSOLE", "name": "冬季慰问", "category": "elderly", "year": 2019, "budget": "50000"})).await;
    assert!(st.is_success(), "{st}");
    let (st, _) = post(
        s,
        &finance,
        "/api/v1/welfare/programmes/P-CONSOLE/approve",
        json!({}),
    )
    .await;
    assert!(st.is_success(), "{st}");
    let birth = chrono::NaiveDate::from_ymd_opt(1940, 3, 1).unwrap();
    let (st, added) = post(s, &welfare, "/api/v1/welfare/beneficiaries", json!({"kind": "person", "name": "张桂英", "id_number": fucai_app::demo::id_number("320412", birth, 3), "town": "32041201", "household": "户主", "contact": "13800000000"})).await;
    assert!(st.is_success(), "{added}");
    let beneficiary = added["beneficiary"]["id"]
        .as_i64()
        .expect("the beneficiary's id");
    let programme = s
        .app
        .programmes(&admin)
        .unwrap()
        .into_iter()
        .find(|p| p.code == "P-CONSOLE")
        .unwrap();

    sign_in(c, s, Role::Welfare).await;
    c.goto(&s.url("/console/welfare/grants/new")).await.unwrap();
    c.find(Locator::Css("select[name='programme']"))
        .await
        .unwrap()
        .select_by_value(&programme.code)
        .await
        .unwrap();
    fill(c, "beneficiary_id", &beneficiary.to_string()).await;
    // A bad amount comes back beside its field, and nothing is proposed.
    fill(c, "amount", "-5").await;
    fill(c, "purpose", "冬季慰问").await;
    submit(c, "main form").await;
    assert!(!text_of(c, "#e-amount").await.is_empty());
    assert_eq!(
        c.find(Locator::Css("[name='purpose']"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("冬季慰问"),
        "the form keeps what was typed"
    );
    shot(c, SHOTS, "grant-invalid").await;
    fill(c, "amount", "1234.50").await;
    submit(c, "main form").await;
    let message = flash(c).await;
    assert!(message.contains("已提交"), "{message}");
    let id: i64 = message
        .split('#')
        .nth(1)
        .and_then(|t| t.split(|ch: char| !ch.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .expect("the grant's number");
    // The maker may not approve it: welfare has no approval link at all.
    assert!(c
        .find(Locator::Css(&format!(
            "a[href='/console/welfare/grants/{id}/approve']"
        )))
        .await
        .is_err());
    sign_out(c).await;

    let before = district_bank(s);
    sign_in(c, s, Role::Finance).await;
    c.goto(&s.url("/console/welfare/grants?status=proposed"))
        .await
        .unwrap();
    click_through(
        c,
        Locator::Css(&format!("a[href='/console/welfare/grants/{id}/approve']")),
    )
    .await;
    let confirm = text_of(c, ".confirm").await;
    assert!(confirm.contains("1,234.50元"), "{confirm}");
    assert!(
        confirm.contains("/bank"),
        "the accounts are shown: {confirm}"
    );
    assert_eq!(district_bank(s), before, "nothing moves before confirming");
    shot(c, SHOTS, "grant-confirm").await;
    press_confirm(c).await;
    assert!(flash(c).await.contains("已批准"));
    assert_eq!(
        district_bank(s),
        before.checked_sub(Money::from_fen(123_450)).unwrap(),
        "the bank paid the grant"
    );
    let paid = s
        .app
        .grants(&admin, None)
        .unwrap()
        .into_iter()
        .find(|g| g.id == id)
        .unwrap();
    assert_eq!(paid.status, fucai_store::GrantStatus::Paid);
    sign_out(c).await;
}

async fn draw_sealed_resulted_settled_and_prize_paid(c: &Client, s: &Server) {
    let (game, number) = ("ssq", "2099001");
    short_draw(s, game, number, now_ms() + 3_600_000);
    // 5 reds and the blue, five times: 5 × 3,000元, taxed as one 中奖收入 above 10,000元.
    let winner = sell(
        s,
        OWN_STATION,
        game,
        number,
        &["01 02 03 04 05 07 + 09 x 5"],
    )
    .await;
    sell(s, OWN_STATION, game, number, &["11 12 13 14 15 16 + 01"]).await;
    wait_for_cutoff().await;
    let page = format!("/console/draws/{game}/{number}");

    // Operations seals (after seeing what sealing does) and enters the result first.
    sign_in(c, s, Role::Operations).await;
    c.goto(&s.url(&page)).await.unwrap();
    follow(c, "封存销售数据").await;
    assert!(text_of(c, ".confirm").await.contains("不可撤销"));
    press_confirm(c).await;
    assert!(flash(c).await.contains("已封存"));
    fill(c, "numbers", "01 02 03 04 05 06 + 09").await;
    submit(c, "main form.card").await;
    assert!(flash(c).await.contains("另一位工作人员"));
    // The same person again is refused, beside the field.
    fill(c, "numbers", "01 02 03 04 05 06 + 09").await;
    submit(c, "main form.card").await;
    assert!(!text_of(c, "#e-numbers").await.is_empty());
    sign_out(c).await;

    // A second person (admin) enters the same numbers: recorded.
    sign_in(c, s, Role::Admin).await;
    c.goto(&s.url(&page)).await.unwrap();
    fill(c, "numbers", "01 02 03 04 05 06 + 09").await;
    submit(c, "main form.card").await;
    assert!(flash(c).await.contains("开奖号码已记录"));
    sign_out(c).await;

    // Finance settles and the 开奖公告 is there.
    sign_in(c, s, Role::Finance).await;
    c.goto(&s.url(&page)).await.unwrap();
    follow(c, "结算").await;
    press_confirm(c).await;
    assert!(flash(c).await.contains("已结算"));
    follow(c, "开奖公告").await;
    let announcement = c.source().await.unwrap();
    assert!(announcement.contains("开奖公告"), "{announcement}");
    assert!(announcement.contains(number));
    shot(c, SHOTS, "announcement").await;

    // The claim: the tax is shown before anything is paid.
    let (serial, code) = ticket(&winner);
    let id_number = common::draws::id_number(7);
    c.goto(&s.url("/console/claims")).await.unwrap();
    fill(c, "serial", &serial).await;
    fill(c, "code", &code).await;
    fill(c, "claimant_id", &id_number).await;
    submit(c, "main form").await;
    let confirm = text_of(c, ".confirm").await;
    assert!(confirm.contains("代扣个人所得税"), "{confirm}");
    assert!(confirm.contains("3,000.00元"), "20% of 15,000元: {confirm}");
    assert!(confirm.contains("12,000.00元"), "{confirm}");
    shot(c, SHOTS, "claim-confirm").await;

    // Posted without its CSRF token: refused, nothing paid.
    c.execute(
        "document.querySelector('.confirm input[name=csrf]').remove()",
        vec![],
    )
    .await
    .unwrap();
    press_confirm(c).await;
    assert_eq!(text_of(c, "h1").await, "无权访问");
    assert!(c.source().await.unwrap().contains("CSRF"));
    let prizes = s.app.ticket_prizes(&serial, &code).unwrap();
    assert_eq!(prizes[0].status, fucai_store::WinningStatus::Unclaimed);
    shot(c, SHOTS, "csrf-refused").await;

    // With it: paid once.
    c.goto(&s.url("/console/claims")).await.unwrap();
    fill(c, "serial", &serial).await;
    fill(c, "code", &code).await;
    fill(c, "claimant_id", &id_number).await;
    submit(c, "main form").await;
    press_confirm(c).await;
    let message = flash(c).await;
    assert!(
        message.contains("已兑奖") && message.contains("12,000.00元"),
        "{message}"
    );
    let prizes = s.app.ticket_prizes(&serial, &code).unwrap();
    assert_eq!(prizes[0].status, fucai_store::WinningStatus::Paid);

    // A second payment is refused beside the serial.
    fill(c, "serial", &serial).await;
    fill(c, "code", &code).await;
    fill(c, "claimant_id", &id_number).await;
    submit(c, "main form").await;
    let error = text_of(c, "#e-serial").await;
    assert!(error.contains("不能重复兑奖"), "{error}");
    shot(c, SHOTS, "claim-refused").await;
    sign_out(c).await;
}
