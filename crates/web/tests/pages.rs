//! The public pages in a real headless browser (Chromium): the results list, a 开奖公告 and
//! the welfare disclosure render with their content.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::draws::{settled_public_draw, staff, PUBLIC_DRAW};
use common::start;

/// The Chromium binary: `FUCAI_CHROMIUM`, or the first one on the PATH.
fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("FUCAI_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|p| p.is_file())
            })
        })
}

/// The DOM of `url` after Chromium has loaded and rendered it, and a screenshot of it.
async fn render(browser: PathBuf, url: String, screenshot: PathBuf) -> String {
    tokio::task::spawn_blocking(move || {
        let profile = tempfile::tempdir().unwrap();
        let common = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,1400",
        ];
        let run = |extra: &[String]| {
            Command::new(&browser)
                .args(common)
                .arg(format!("--user-data-dir={}", profile.path().display()))
                .args(extra)
                .arg(&url)
                .output()
                .expect("chromium runs")
        };
        let shot = run(&[format!("--screenshot={}", screenshot.display())]);
        assert!(
            shot.status.success(),
            "{}",
            String::from_utf8_lossy(&shot.stderr)
        );
        let dom = run(&["--dump-dom".to_string()]);
        assert!(
            dom.status.success(),
            "{}",
            String::from_utf8_lossy(&dom.stderr)
        );
        String::from_utf8(dom.stdout).unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn public_pages_render_in_a_browser() {
    let Some(browser) = chromium() else {
        // CI installs Chromium (.ci/run); elsewhere say plainly that this was not checked.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have Chromium for the page tests"
        );
        eprintln!("skipped: no Chromium on this machine (apt-get install chromium)");
        return;
    };
    let s = start().await;
    let staff = staff(&s).await;
    let draw = PUBLIC_DRAW;
    let sold = settled_public_draw(&s, &staff).await;
    let shots = tempfile::tempdir().unwrap();

    let list = render(
        browser.clone(),
        s.url("/draws"),
        shots.path().join("results.png"),
    )
    .await;
    assert!(list.contains("<h1>开奖结果</h1>"), "{list}");
    assert!(
        list.contains(&format!("href=\"/draws/ssq/{draw}\"")),
        "{list}"
    );
    // The schedule lists the 休市 ahead (the embedded calendar's next Spring Festival).
    let next = fucai_app::closures()
        .iter()
        .find(|c| c.market && c.to >= fucai_app::beijing_date(fucai_app::now_ms()))
        .expect("a 休市 ahead in the calendar");
    assert!(
        list.contains("<h2>休市安排</h2>") && list.contains(&next.from.to_string()),
        "{list}"
    );
    // The numbers as balls, read out by colour (colour is never the only signal).
    assert!(list.contains("红球 01 02 03 04 05 09，蓝球 07"), "{list}");

    let page = render(
        browser.clone(),
        s.url(&format!("/draws/ssq/{draw}")),
        shots.path().join("announcement.png"),
    )
    .await;
    assert!(
        page.contains(&format!("双色球 第{draw}期 开奖公告")),
        "{page}"
    );
    // 三等奖: 2 bets (one line, multiple 2) of 3,000元.
    assert!(page.contains("三等奖</td><td class=\"n\">2</td>"), "{page}");
    let seal = s.app.draw_info("ssq", draw).unwrap().seal.unwrap();
    assert!(page.contains(&seal.sha256), "{page}");

    // The station finder: a town's stations, the suspended one shown as such.
    let finder = render(
        browser.clone(),
        s.url("/stations?town=32041204"),
        shots.path().join("stations.png"),
    )
    .await;
    assert!(
        finder.contains("<h1>投注站查询</h1>") && finder.contains("共 10 个投注站"),
        "{finder}"
    );
    assert!(
        finder.contains("暂停营业") && finder.contains("营业中"),
        "{finder}"
    );
    assert!(finder.contains("双色球、福彩3D、七乐彩、快乐8"), "{finder}");

    let home = render(browser.clone(), s.url("/"), shots.path().join("home.png")).await;
    assert!(
        home.contains("href=\"/check\"")
            && home.contains("href=\"/draws\"")
            && home.contains("href=\"/stations\""),
        "{home}"
    );
    assert!(
        home.contains("10,000.00元（含）以下可在投注站兑奖"),
        "{home}"
    );

    // The winning ticket, checked by its holder: 2 × 3,000元, not yet claimed.
    let (serial, code) = (
        sold[0]["serial"].as_str().unwrap(),
        sold[0]["verification_code"].as_str().unwrap(),
    );
    let checked = render(
        browser.clone(),
        s.url(&format!("/check?serial={serial}&code={code}")),
        shots.path().join("check.png"),
    )
    .await;
    assert!(checked.contains("中奖情况"), "{checked}");
    assert!(
        checked.contains("6,000.00元") && checked.contains("未兑奖"),
        "{checked}"
    );
    let wrong = render(
        browser.clone(),
        s.url(&format!("/check?serial={serial}&code=WRONG")),
        shots.path().join("wrong.png"),
    )
    .await;
    assert!(wrong.contains("未找到这张彩票"), "{wrong}");

    let disclosure = render(
        browser,
        s.url("/welfare/disclosure?year=2019"),
        shots.path().join("disclosure.png"),
    )
    .await;
    assert!(
        disclosure.contains("2019年彩票公益金使用公告"),
        "{disclosure}"
    );
    // 公益金 raised and spent by year: this year's from the tickets sold above.
    let this_year = chrono::Datelike::year(&fucai_app::beijing_date(fucai_app::now_ms()));
    let years = s.app.welfare_by_year(this_year).unwrap();
    let now = years.iter().find(|y| y.year == this_year).unwrap();
    assert!(now.raised > fucai_ledger::Money::ZERO && now.spent.is_some());
    assert!(
        disclosure.contains("历年公益金筹集与使用")
            && disclosure.contains(&format!(
                "<td>{this_year}年</td><td class=\"n\">{}</td>",
                now.raised
            )),
        "{disclosure}"
    );

    for shot in [
        "results.png",
        "announcement.png",
        "home.png",
        "check.png",
        "disclosure.png",
    ] {
        let bytes = std::fs::read(shots.path().join(shot)).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
            "{shot} was rendered"
        );
    }
    if let Ok(keep) = std::env::var("FUCAI_KEEP_SCREENSHOTS") {
        for shot in [
            "results.png",
            "announcement.png",
            "home.png",
            "check.png",
            "disclosure.png",
        ] {
            std::fs::copy(shots.path().join(shot), PathBuf::from(&keep).join(shot)).unwrap();
        }
    }
}
