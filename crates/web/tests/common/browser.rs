//! A real headless Chromium driven over WebDriver (Debian's `chromium` and `chromium-driver`):
//! chromedriver in its own process group, a fresh profile per session, screenshots under
//! `target/tmp/`.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// chromedriver on a free port, stopped when dropped.
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Drop for Driver {
    /// Stops chromedriver and the browsers it started (its process group), even when a test
    /// failed half-way.
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// chromedriver and Chromium, or `None` where this machine has neither (CI installs both and
/// sets `FUCAI_BROWSER_TESTS=required`, which turns their absence into a failure).
pub fn browser() -> Option<(PathBuf, PathBuf)> {
    let found = on_path("chromedriver").zip(
        std::env::var_os("FUCAI_CHROMIUM")
            .map(PathBuf::from)
            .or_else(|| on_path("chromium")),
    );
    if found.is_none() && std::env::var("FUCAI_BROWSER_TESTS").as_deref() == Ok("required") {
        panic!("FUCAI_BROWSER_TESTS=required but chromedriver or chromium is missing");
    }
    found
}

pub async fn start_driver(chromedriver: &PathBuf) -> Driver {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    }
}

/// A browser session `width` CSS pixels wide. Below Chromium's smallest window (500 px) the
/// width is a phone's, by Chromium's mobile emulation.
pub async fn open_browser(driver: &Driver, chromium: &PathBuf, width: u32) -> Client {
    let profile =
        std::env::temp_dir().join(format!("fucai-browser-{}", fucai_app::random_token(6)));
    let mut options = json!({
        "binary": chromium,
        "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", format!("--window-size={},900", width.max(500)),
            format!("--user-data-dir={}", profile.display()),
        ]
    });
    if width < 500 {
        options["mobileEmulation"] = json!({
            "deviceMetrics": {"width": width, "height": 800, "pixelRatio": 1.0}
        });
    }
    let caps = json!({ "goog:chromeOptions": options });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a Chromium session")
}

/// `target/tmp/<folder>/`, made if missing.
pub fn shots_dir(folder: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Saves the window as `target/tmp/<folder>/<name>.png`.
pub async fn shot(c: &Client, folder: &str, name: &str) {
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    std::fs::write(shots_dir(folder).join(format!("{name}.png")), png).unwrap();
}

pub async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

pub async fn fill(c: &Client, name: &str, value: &str) {
    let field = c
        .find(Locator::Css(&format!("[name='{name}']")))
        .await
        .unwrap();
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

/// Clicks what `locator` finds and waits until the next page has loaded (a click that
/// navigates returns before the new page is there).
pub async fn click_through(c: &Client, locator: Locator<'_>) {
    c.execute("window.__leaving = true", vec![]).await.unwrap();
    c.find(locator).await.unwrap().click().await.unwrap();
    for _ in 0..300 {
        let arrived = c
            .execute(
                "return window.__leaving !== true && document.readyState === 'complete'",
                vec![],
            )
            .await
            .map(|v| v.as_bool() == Some(true))
            .unwrap_or(false);
        if arrived {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no page after the click");
}
