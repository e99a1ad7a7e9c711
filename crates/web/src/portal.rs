//! What every public page shares: the center's identity in the header and footer, the
//! 长者模式 (a cookie, switched by a plain link so that it works without JavaScript), the
//! accessibility toolbar, the text-only version (`?text=1`), and lottery numbers as balls.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use crate::auth::read_cookie;
use crate::AppState;

/// The cookie that keeps 长者模式 on.
pub(crate) const ELDER_COOKIE: &str = "fucai_elder";

/// How this visitor reads the portal.
#[derive(Clone, Debug)]
pub(crate) struct Visitor {
    pub elder: bool,
    /// The simplified, text-only version.
    pub text_only: bool,
    /// The page's path and query (where the mode switch comes back to).
    pub here: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Visitor, Infallible> {
        let query = parts.uri.query().unwrap_or("");
        let text_only = query.split('&').any(|p| p == "text=1");
        Ok(Visitor {
            elder: read_cookie(&parts.headers, ELDER_COOKIE).as_deref() == Some("1"),
            text_only,
            here: parts
                .uri
                .path_and_query()
                .map_or("/".to_string(), |p| p.as_str().to_string()),
        })
    }
}

impl Visitor {
    /// The same page in the other version (full ⇄ text-only).
    fn other_version(&self) -> String {
        let (path, query) = self.here.split_once('?').unwrap_or((&self.here, ""));
        let mut params: Vec<&str> = query
            .split('&')
            .filter(|p| !p.is_empty() && *p != "text=1")
            .collect();
        if !self.text_only {
            params.push("text=1");
        }
        if params.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", params.join("&"))
        }
    }
}

/// Renders a portal page inside the shared layout.
pub(crate) fn page(
    state: &AppState,
    visitor: &Visitor,
    template: &str,
    title: &str,
    ctx: Value,
) -> Result<Html<String>, fucai_app::AppError> {
    let base = context! {
        title,
        center => state.app.identity(),
        elder => visitor.elder,
        text_only => visitor.text_only,
        here => &visitor.here,
        other_version => visitor.other_version(),
    };
    Ok(Html(crate::templates::render(
        template,
        context! { ..ctx, ..base },
    )?))
}

/// A page with its status.
pub(crate) fn page_with(
    status: StatusCode,
    html: Result<Html<String>, fucai_app::AppError>,
) -> Response {
    match html {
        Ok(html) => (status, html).into_response(),
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
pub(crate) struct ModeQuery {
    elder: Option<String>,
    back: Option<String>,
}

/// `/mode?elder=1&back=/draws`: switches 长者模式 on (1) or off (0) and returns to the page.
pub(crate) async fn switch_mode(Query(q): Query<ModeQuery>) -> Response {
    let on = q.elder.as_deref() == Some("1");
    let back = q
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    let cookie = if on {
        format!("{ELDER_COOKIE}=1; Path=/; Max-Age=31536000; SameSite=Lax")
    } else {
        format!("{ELDER_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax")
    };
    ([(header::SET_COOKIE, cookie)], Redirect::to(&back)).into_response()
}

/// One lottery number as shown: in a ball, red or blue, never wrapped.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Ball {
    pub number: String,
    /// red (前区) or blue (后区 / 特别号).
    pub zone: &'static str,
}

/// A result line ("01 02 03 04 05 06 + 07") as balls: before `+` red, after it blue.
pub(crate) fn balls(result: &str) -> Vec<Ball> {
    let (front, back) = result.split_once('+').unwrap_or((result, ""));
    let zone = |text: &str, zone: &'static str| {
        text.split_whitespace()
            .map(|n| Ball {
                number: n.to_string(),
                zone,
            })
            .collect::<Vec<_>>()
    };
    let mut all = zone(front, "red");
    all.extend(zone(back, "blue"));
    all
}

/// A tab of a list page (a game, a kind of article).
#[derive(Serialize)]
pub(crate) struct Tab {
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// A list page's address: `path`, filtered by `key=value` (none when empty), at `page`.
pub(crate) fn list_href(path: &str, value: &str, key: &str, page: usize) -> String {
    let mut params = Vec::new();
    if !value.is_empty() {
        params.push(format!("{key}={value}"));
    }
    if page > 1 {
        params.push(format!("page={page}"));
    }
    if params.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", params.join("&"))
    }
}

/// The assets the portal shares with the console, at `/assets/{name}`.
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    axum::Router::new()
        .route("/mode", axum::routing::get(switch_mode))
        .route("/assets/{name}", axum::routing::get(crate::console::asset))
}
