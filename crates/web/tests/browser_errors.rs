//! A person in a browser gets a Chinese page for an error, with the same status; an API client
//! gets the JSON error. The request's `Accept` decides.

mod common;

use common::start;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::StatusCode;

/// What a browser sends when it opens a page.
const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

#[tokio::test]
async fn errors_are_chinese_pages_for_browsers_and_json_for_api_clients() {
    let s = start().await;
    for (path, status, title) in [
        ("/no/such/page", StatusCode::NOT_FOUND, "页面不存在"),
        ("/draws?limit=100000", StatusCode::BAD_REQUEST, "请求有误"),
        ("/draws/ssq/1999001", StatusCode::NOT_FOUND, "页面不存在"),
        (
            "/api/v1/public/draws/ssq/1999001/transcript",
            StatusCode::NOT_FOUND,
            "页面不存在",
        ),
        ("/api/v1/stations", StatusCode::UNAUTHORIZED, "请先登录"),
    ] {
        let page = s
            .client
            .get(s.url(path))
            .header(ACCEPT, BROWSER)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), status, "{path}");
        let kind = page.headers()[CONTENT_TYPE].to_str().unwrap().to_string();
        assert!(kind.starts_with("text/html"), "{path}: {kind}");
        let html = page.text().await.unwrap();
        assert!(
            html.contains(&format!("<h1>{title}</h1>")) && html.contains("返回首页"),
            "{path}: {html}"
        );

        let api = s
            .client
            .get(s.url(path))
            .header(ACCEPT, "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), status, "{path}");
        let body: serde_json::Value = api.json().await.expect("JSON for an API client");
        assert!(body["error"]["code"].is_string(), "{path}: {body}");
    }
}

#[tokio::test]
async fn every_page_carries_the_responsible_play_notices() {
    let s = start().await;
    for path in ["/", "/draws", "/check", "/stations", "/no/such/page"] {
        let html = s
            .client
            .get(s.url(path))
            .header(ACCEPT, BROWSER)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("理性购彩") && html.contains("未满18周岁不得购买彩票"),
            "{path}: {html}"
        );
    }
}
