//! Errors for people in a browser: a request that asks for HTML (`Accept: text/html`, as
//! browsers send) and gets an error answers a Chinese page with the same status; API clients
//! (asking for JSON, or for nothing in particular) keep the JSON error body.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use minijinja::context;

use crate::portal::{page, Visitor};
use crate::AppState;

/// Largest error body read back to turn into a page.
const MAX_ERROR_BODY: usize = 64 * 1024;

fn wants_html(request: &Request) -> bool {
    request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// The page's title and what a person can do about it, by status.
pub(crate) fn explain(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => (
            "请求有误",
            "请检查输入的内容（例如日期、号码的写法）后重试。",
        ),
        401 => ("请先登录", "此页面需要登录后访问。"),
        403 => ("无权访问", "您的账号无权访问此页面。"),
        404 => ("页面不存在", "您要找的页面或记录不存在，请检查网址或期号。"),
        405 => ("不支持此操作", "此页面不支持这种访问方式。"),
        413 => ("内容过大", "上传的内容超过了允许的大小。"),
        429 => ("操作过于频繁", "请稍后再试。"),
        503 => ("服务暂时不可用", "系统正忙，请稍后再试。"),
        s if s >= 500 => ("系统错误", "系统出现错误，已记录，请稍后再试。"),
        _ => ("无法完成请求", "请返回首页后重试。"),
    }
}

/// Turns a JSON error into a Chinese page when a browser asked for HTML.
pub async fn pages_for_browsers(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let html = wants_html(&request);
    let (mut parts, body) = request.into_parts();
    let visitor = Visitor::from_request_parts(&mut parts, &())
        .await
        .unwrap_or_else(|never| match never {});
    let response = next.run(Request::from_parts(parts, body)).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let status = response.status();
    if !html || !is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let detail = to_bytes(body, MAX_ERROR_BODY)
        .await
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
        .unwrap_or_default();
    let (title, advice) = explain(status);
    let html = page(
        &state,
        &visitor,
        "portal/error.html",
        title,
        context! { advice, status => status.as_u16(), detail },
    )
    .unwrap_or_else(|_| axum::response::Html(format!("<h1>{title}</h1><p>{advice}</p>")));
    let mut page = html.into_response();
    *page.status_mut() = status;
    for (name, value) in parts.headers.iter() {
        // Keep what the error said about retrying or allowed methods.
        if name == header::RETRY_AFTER || name == header::ALLOW {
            page.headers_mut().insert(name.clone(), value.clone());
        }
    }
    page.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    page.map(Body::new)
}
