//! The HTTP edge under misuse: methods the route table lacks, half-sent and idle
//! connections, more connections than the cap, and the OpenAPI document walked route by
//! route.

mod common;

use std::time::{Duration, Instant};

use common::*;
use fucai_web::ServeOptions;
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn addr(s: &Server) -> String {
    s.base.trim_start_matches("http://").to_string()
}

#[tokio::test]
async fn other_methods_get_405_with_allow_head_works_and_options_lists() {
    let s = start().await;
    for method in ["PUT", "DELETE", "PATCH", "TRACE"] {
        let r = s
            .client
            .request(method.parse().unwrap(), s.url("/api/v1/tickets"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(r.headers()["allow"], "POST, OPTIONS", "{method}");
        let (_, code, _) = error_code(r).await;
        assert_eq!(code, "method_not_allowed");
    }
    // A path with GET: HEAD too.
    let r = s
        .client
        .put(s.url("/api/v1/draws/ssq/2098001/seal"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    let r = s.client.head(s.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().len(), 0);
    let r = s
        .client
        .head(s.url("/api/v1/draws?game=ssq"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // HEAD keeps GET's policy.
    let r = s
        .client
        .head(s.url("/api/v1/ledger/balances"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = s
        .client
        .request(reqwest::Method::OPTIONS, s.url("/api/v1/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(r.headers()["allow"], "POST, GET, DELETE, HEAD, OPTIONS");
    // Unknown paths stay 404.
    let r = s.client.put(s.url("/nowhere")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

/// Reads until the server closes the connection; how long that took.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at(
            tokio::time::Instant::from_std(started + limit),
            stream.read(&mut buf),
        )
        .await
        {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test]
async fn a_half_sent_head_and_an_idle_keep_alive_are_closed() {
    let s = start_limited(ServeOptions {
        head_timeout: Duration::from_millis(800),
        ..ServeOptions::default()
    })
    .await;
    let mut half = TcpStream::connect(addr(&s)).await.unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let took = closed_within(&mut half, Duration::from_secs(5)).await;
    assert!(took.is_some(), "a half-sent head is held past 5 s");

    // Nothing sent at all.
    let mut silent = TcpStream::connect(addr(&s)).await.unwrap();
    assert!(closed_within(&mut silent, Duration::from_secs(5))
        .await
        .is_some());

    // A whole request is answered; the connection idle after it is closed too.
    let mut idle = TcpStream::connect(addr(&s)).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    let n = idle.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    assert!(closed_within(&mut idle, Duration::from_secs(5))
        .await
        .is_some());
}

async fn healthz(s: &Server) -> bool {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    client
        .get(s.url("/healthz"))
        .send()
        .await
        .is_ok_and(|r| r.status() == StatusCode::OK)
}

#[tokio::test]
async fn the_server_answers_while_a_thousand_half_open_sockets_are_held() {
    // Both ends of every socket live in this process.
    let limit = fucai_web::raise_descriptor_limit();
    assert!(
        limit >= 2_600,
        "the open-file limit {limit} is too low for this test"
    );
    let s = start_limited(ServeOptions {
        head_timeout: Duration::from_secs(60),
        max_connections: 1_100,
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..1_000 {
        let mut c = TcpStream::connect(addr(&s)).await.unwrap();
        c.write_all(b"POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        held.push(c);
    }
    for _ in 0..5 {
        assert!(
            healthz(&s).await,
            "healthz fails with 1,000 half-open sockets"
        );
    }
    let r = s
        .sell(
            OWN_STATION,
            serde_json::json!({"request_id": "edge-1", "game": "ssq", "draw": "2098001",
                "selections": ["01 02 03 04 05 06 + 07"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    drop(held);
}

#[tokio::test]
async fn past_the_cap_connections_wait_until_one_closes() {
    let s = start_limited(ServeOptions {
        head_timeout: Duration::from_secs(60),
        max_connections: 20,
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..20 {
        let mut c = TcpStream::connect(addr(&s)).await.unwrap();
        c.write_all(b"GET /healthz HTTP/1.1\r\n").await.unwrap();
        held.push(c);
    }
    // The 21st waits in the backlog: no answer while all 20 are held.
    let waiting = tokio::spawn({
        let url = s.url("/healthz");
        async move { reqwest::get(url).await.map(|r| r.status()) }
    });
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(!waiting.is_finished(), "answered past the connection cap");
    held.pop();
    let status = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("answered once a connection closed")
        .unwrap()
        .unwrap();
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_openapi_document_declares_parameters_statuses_and_bounds() {
    let s = start().await;
    let doc = s.get_public_json("/api/v1/openapi.json").await;
    let mut problems = Vec::new();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let route = fucai_web::policy::find(&method.to_uppercase(), path)
                .unwrap_or_else(|| panic!("{method} {path} is documented but not routed"));
            let here = format!("{method} {path}");
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                let in_path = path.contains(&format!("{{{name}}}"));
                match p["in"].as_str().unwrap() {
                    "path" if !in_path => {
                        problems.push(format!("{here}: {name} is not in the path"))
                    }
                    "query" if in_path => {
                        problems.push(format!("{here}: {name} is a path parameter"))
                    }
                    _ => {}
                }
                if name == "limit" && p["schema"]["maximum"].as_f64().is_none() {
                    problems.push(format!("{here}: limit has no maximum"));
                }
            }
            let responses = op["responses"].as_object().unwrap();
            for (status, answer) in responses.iter().filter(|(s, _)| s.starts_with('2')) {
                if let Some(why) = untyped(path, status, answer) {
                    problems.push(format!("{here} {status}: {why}"));
                }
            }
            let mut expected = vec!["401", "500"];
            if route.access != fucai_app::Access::Public {
                expected.push("403");
            }
            if op["parameters"].as_array().is_some_and(|p| !p.is_empty())
                || op.get("requestBody").is_some()
            {
                expected.push("400");
            }
            if let Some(body) = op.get("requestBody") {
                expected.push("413");
                if body["content"].get("application/json").is_some() {
                    expected.push("415");
                }
            }
            for status in expected {
                if !responses.contains_key(status) {
                    problems.push(format!("{here}: no {status} answer"));
                }
            }
        }
    }
    assert_eq!(
        operations,
        fucai_web::policy::ROUTES.len(),
        "every route is documented"
    );
    assert!(problems.is_empty(), "{problems:#?}");

    // The bound is enforced, not only documented.
    for path in [
        "/api/v1/draws?limit=100000",
        "/api/v1/public/results?limit=0",
        "/draws?limit=201",
    ] {
        let r = s.client.get(s.url(path)).send().await.unwrap();
        let (status, _, message) = error_code(r).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(message.contains("limit"), "{message}");
    }
}

/// Why a success answer's schema is missing or says nothing, if it is: every answer with a
/// body names its type (a wire type, a list of one, or a string / bytes for files and pages).
fn untyped(path: &str, status: &str, answer: &serde_json::Value) -> Option<String> {
    let Some(content) = answer.get("content").and_then(|c| c.as_object()) else {
        return (status != "204").then(|| "no body is declared".to_string());
    };
    for (media, body) in content {
        let schema = &body["schema"];
        let typed = schema.get("$ref").is_some()
            || schema.get("items").is_some_and(|i| i.get("$ref").is_some() || i.get("type").is_some())
            || matches!(schema["type"].as_str(), Some("string" | "integer" | "boolean"))
            || schema.get("properties").is_some()
            || schema.get("oneOf").is_some()
            // The OpenAPI document's own schema is OpenAPI's.
            || path == "/api/v1/openapi.json";
        if !typed {
            return Some(format!("{media} has an empty or untyped schema: {schema}"));
        }
    }
    None
}
