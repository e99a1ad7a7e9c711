//! The public portal in a real headless Chromium over WebDriver, on every public page, in both
//! modes: the computed font size, line height and contrast of every visible text, the size of
//! every click target, no sideways scroll at 360 px, axe-core (vendored) with no serious or
//! critical violation, and a keyboard-only ticket check whose outcome is the headline.
//! Screenshots go to `target/tmp/portal-screenshots/`.

mod common;

use common::PNG;

use std::time::Duration;

use common::browser::{browser, open_browser, shot, start_driver, text_of};
use common::draws::{settled_public_draw, staff, PUBLIC_DRAW};
use common::start;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

const SHOTS: &str = "portal-screenshots";
/// The in-page checks (font, line height, contrast, targets, sideways scroll).
const CHECKS: &str = include_str!("portal_a11y.js");
/// axe-core 4.14.1, vendored with its licence.
const AXE: &str = include_str!("vendor/axe-core/axe.min.js");

/// One way of reading the portal: standard or 长者模式, with the bar each must meet.
struct Mode {
    name: &'static str,
    elder: bool,
    min_font_px: f64,
    min_target_px: f64,
}

const MODES: [Mode; 2] = [
    Mode {
        name: "standard",
        elder: false,
        min_font_px: 16.0,
        min_target_px: 44.0,
    },
    Mode {
        name: "elder",
        elder: true,
        min_font_px: 24.0,
        min_target_px: 60.0,
    },
];

async fn load(c: &Client, url: &str) {
    c.goto(url).await.unwrap();
    for _ in 0..200 {
        let ready = c
            .execute("return document.readyState === 'complete'", vec![])
            .await
            .unwrap();
        if ready.as_bool() == Some(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{url} did not load");
}

/// The page's ageing-friendly findings (empty when it passes).
async fn findings(c: &Client, mode: &Mode) -> Vec<String> {
    let out = c
        .execute(
            CHECKS,
            vec![
                json!(mode.min_font_px),
                json!(mode.min_target_px),
                json!(mode.elder),
            ],
        )
        .await
        .unwrap();
    serde_json::from_value(out).unwrap()
}

/// axe-core's serious and critical violations on the page.
async fn axe_violations(c: &Client) -> Vec<Value> {
    c.execute(AXE, vec![]).await.unwrap();
    let out = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']}).then(r => done(
               r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => ({id: v.id, impact: v.impact,
                             nodes: v.nodes.slice(0, 3).map(n => n.html)}))))
               .catch(e => done([{id: 'axe failed', nodes: [String(e)]}]));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(out).unwrap()
}

async fn set_mode(c: &Client, base: &str, mode: &Mode) {
    let elder = if mode.elder { 1 } else { 0 };
    load(c, &format!("{base}/mode?elder={elder}&back=/")).await;
    let class = c
        .execute("return document.documentElement.className", vec![])
        .await
        .unwrap();
    assert_eq!(
        class.as_str().unwrap_or("").contains("elder"),
        mode.elder,
        "the mode cookie took effect"
    );
    let toggle = text_of(c, ".tools a").await;
    assert_eq!(
        toggle,
        if mode.elder {
            "退出长者模式"
        } else {
            "长者模式"
        }
    );
}

async fn press(c: &Client, key: Key) {
    c.active_element()
        .await
        .unwrap()
        .send_keys(&key.to_string())
        .await
        .unwrap();
}

async fn active(c: &Client, js: &str) -> Value {
    c.execute(
        &format!("const e = document.activeElement; return {js};"),
        vec![],
    )
    .await
    .unwrap()
}

/// Presses Tab until the focused element matches `test` (a JS expression on `e`).
async fn tab_to(c: &Client, test: &str) {
    for _ in 0..60 {
        press(c, Key::Tab).await;
        if active(c, test).await.as_bool() == Some(true) {
            return;
        }
    }
    panic!("Tab never reached {test}");
}

/// Keyboard only: from the home page, Tab to the ticket check, Enter, type the serial and the
/// code, Enter; the outcome is the headline, focused so that a screen reader reads it first.
async fn check_by_keyboard(c: &Client, base: &str, serial: &str, code: &str, mode: &Mode) {
    load(c, &format!("{base}/")).await;
    // The skip link comes first.
    press(c, Key::Tab).await;
    assert_eq!(
        active(c, "e.textContent").await.as_str(),
        Some("跳到正文"),
        "the first Tab reaches the skip link"
    );
    tab_to(c, "e.getAttribute('href') === '/check'").await;
    c.execute("window.__leaving = true", vec![]).await.unwrap();
    press(c, Key::Enter).await;
    for _ in 0..200 {
        let arrived = c
            .execute(
                "return window.__leaving !== true && document.readyState === 'complete'",
                vec![],
            )
            .await
            .unwrap();
        if arrived.as_bool() == Some(true) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(c.current_url().await.unwrap().path(), "/check");
    tab_to(c, "e.id === 'serial'").await;
    c.active_element()
        .await
        .unwrap()
        .send_keys(serial)
        .await
        .unwrap();
    press(c, Key::Tab).await;
    assert_eq!(active(c, "e.id").await.as_str(), Some("code"));
    c.execute("window.__leaving = true", vec![]).await.unwrap();
    c.active_element()
        .await
        .unwrap()
        .send_keys(&format!("{code}{}", Key::Enter))
        .await
        .unwrap();
    let mut headline = Value::Null;
    for _ in 0..200 {
        headline = active(c, "e.id === 'outcome' ? e.textContent : null").await;
        if headline.is_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let headline = headline.as_str().unwrap_or_default().to_string();
    assert!(
        headline.starts_with("中奖") && headline.contains("6,000.00元"),
        "the focused headline says the ticket won and how much: {headline:?}"
    );
    let role = text_of(c, "#outcome").await;
    assert_eq!(role, headline);
    shot(c, SHOTS, &format!("keyboard-check-{}", mode.name)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_public_page_meets_the_ageing_friendly_bar_in_both_modes() {
    let Some((chromedriver, chromium)) = browser() else {
        eprintln!("skipped: no chromedriver/chromium on this machine");
        return;
    };
    let s = start().await;
    let staff = staff(&s).await;
    let draw = PUBLIC_DRAW;
    let sold = settled_public_draw(&s, &staff).await;
    let (serial, code) = (
        sold[0]["serial"].as_str().unwrap().to_string(),
        sold[0]["verification_code"].as_str().unwrap().to_string(),
    );
    // A published notice with an image, and its text alternative.
    let ops = common::draws::principal(&s, fucai_app::Role::Operations);
    let article = s
        .app
        .write_article(
            &ops,
            fucai_app::ArticleDraft {
                kind: fucai_store::ArticleKind::Notice,
                title: "春节休市公告".into(),
                body: "春节期间全国福利彩票休市，暂停销售和开奖。\n\n休市期间兑奖期限顺延。".into(),
                image: Some(fucai_app::ArticleImage {
                    name: "notice.png".into(),
                    bytes: PNG.to_vec(),
                    alt: "贴在投注站门口的休市告示".into(),
                }),
                remove_image: false,
            },
        )
        .await
        .unwrap();
    s.app
        .set_article_status(&ops, article.id, fucai_store::ArticleStatus::Published)
        .await
        .unwrap();
    let pages: Vec<(&str, String)> = vec![
        ("home", "/".into()),
        ("results", "/draws".into()),
        ("results-kl8", "/draws?game=kl8".into()),
        ("announcement", format!("/draws/ssq/{draw}")),
        ("check", "/check".into()),
        ("check-won", format!("/check?serial={serial}&code={code}")),
        (
            "check-unknown",
            format!("/check?serial={serial}&code=WRONG"),
        ),
        ("stations", "/stations".into()),
        ("stations-town", "/stations?town=32041204&open=1".into()),
        ("instant", "/instant".into()),
        ("news", "/news".into()),
        ("article", format!("/news/{}", article.id)),
        ("disclosure", "/welfare/disclosure?year=2019".into()),
        ("disclosure-empty", "/welfare/disclosure?year=2031".into()),
        ("text-only", "/draws?text=1".into()),
        ("not-found", "/no-such-page".into()),
    ];

    let driver = start_driver(&chromedriver).await;
    let mut failures = Vec::new();
    for mode in &MODES {
        for width in [1366, 360] {
            let c = open_browser(&driver, &chromium, width).await;
            set_mode(&c, &s.base, mode).await;
            let inner = c
                .execute("return document.documentElement.clientWidth", vec![])
                .await
                .unwrap();
            assert!(
                inner.as_u64().unwrap() <= width as u64,
                "the page is laid out {inner} px wide, not {width}"
            );
            for (name, path) in &pages {
                load(&c, &s.url(path)).await;
                for f in findings(&c, mode).await {
                    failures.push(format!("{} {width}px {path}: {f}", mode.name));
                }
                if width == 1366 {
                    for v in axe_violations(&c).await {
                        failures.push(format!("{} {path}: axe {v}", mode.name));
                    }
                }
                shot(&c, SHOTS, &format!("{name}-{}-{width}", mode.name)).await;
            }
            if width == 360 {
                check_by_keyboard(&c, &s.base, &serial, &code, mode).await;
            }
            c.close().await.unwrap();
        }
    }
    assert!(
        failures.is_empty(),
        "{} findings:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // The toolbar's controls work: the larger cursor and page zoom are remembered.
    let c = open_browser(&driver, &chromium, 1366).await;
    load(&c, &s.url("/")).await;
    press_tool(&c, "[data-tool='cursor']").await;
    press_tool(&c, "[data-tool='zoom-in']").await;
    load(&c, &s.url("/draws")).await;
    let class = c
        .execute("return document.documentElement.className", vec![])
        .await
        .unwrap();
    let class = class.as_str().unwrap();
    assert!(
        class.contains("big-cursor") && class.contains("zoom-1"),
        "{class}"
    );
    c.close().await.unwrap();
}

/// Clicks a toolbar button (it changes the page in place, no navigation).
async fn press_tool(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}
