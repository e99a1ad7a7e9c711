//! The console's own stylesheet and scripts, and the vendored ECharts, served from the
//! binary: no network at run time.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::extract::ApiPath;

const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "console.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/console.css"),
    ),
    (
        "charts.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/charts.js"),
    ),
    (
        "portal.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/portal.css"),
    ),
    (
        "portal-text.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/portal-text.css"),
    ),
    (
        "portal.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/portal.js"),
    ),
    (
        "echarts.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/echarts/echarts.simple.min.js"),
    ),
];

pub(crate) async fn asset(ApiPath(name): ApiPath<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
