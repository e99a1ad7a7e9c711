//! Authentication and authorization at the edge: who is calling (session cookie or terminal
//! credentials), whether the route's policy allows them, and CSRF for cookie sessions.

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use fucai_app::{Access, AppError, Principal};

use crate::error::ApiError;
use crate::{policy, AppState};

pub const SESSION_COOKIE: &str = "fucai_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The authenticated caller, if any, placed in the request by the middleware.
#[derive(Clone, Debug)]
pub struct Caller(pub Option<Principal>);

impl Caller {
    pub fn principal(&self) -> Result<&Principal, ApiError> {
        self.0
            .as_ref()
            .ok_or_else(|| AppError::Unauthenticated.into())
    }
}

/// The value of the request's cookie `name` (the first one given, if not empty).
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (n, value) = pair.trim().split_once('=')?;
            (n == name && !value.is_empty()).then_some(value)
        })
}

pub(crate) fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    cookie(headers, name).map(str::to_string)
}

pub fn session_token(headers: &HeaderMap) -> Option<String> {
    read_cookie(headers, SESSION_COOKIE)
}

/// The session cookie of a sign-in: HttpOnly, SameSite=Strict, Secure when the server is
/// told so or sits behind a TLS proxy (X-Forwarded-Proto: https).
pub(crate) fn session_cookie(
    state: &AppState,
    headers: &HeaderMap,
    outcome: &fucai_app::LoginOutcome,
) -> String {
    let behind_tls = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        == Some("https");
    let secure = if state.options.secure_cookies || behind_tls {
        "; Secure"
    } else {
        ""
    };
    let max_age = (outcome.expires_at_ms - fucai_app::now_ms()).max(0) / 1000;
    format!(
        "{SESSION_COOKIE}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}",
        outcome.token
    )
}

/// `Authorization: Terminal <code>:<secret>`
fn terminal_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let rest = value.strip_prefix("Terminal ")?;
    let (code, secret) = rest.trim().split_once(':')?;
    Some((code.to_string(), secret.to_string()))
}

pub async fn authorize(
    State(state): State<Arc<AppState>>,
    matched: Option<MatchedPath>,
    mut req: Request,
    next: Next,
) -> Response {
    let Some(matched) = matched else {
        return next.run(req).await;
    };
    // HEAD is answered wherever GET is, under GET's policy.
    let method = match *req.method() {
        Method::HEAD => Method::GET,
        ref m => m.clone(),
    };
    let Some(spec) = policy::find(method.as_str(), matched.as_str()) else {
        return method_not_routed(&method, matched.as_str());
    };
    let headers = req.headers();
    let mut csrf_expected = None;
    let principal = if let Some((code, secret)) = terminal_credentials(headers) {
        match state.app.terminal(&code, &secret) {
            Ok(p) => Some(p),
            Err(e) => return ApiError::from(e).into_response(),
        }
    } else if let Some(token) = session_token(headers) {
        match state.app.session(&token) {
            Ok((p, csrf)) => {
                csrf_expected = Some(csrf);
                Some(p)
            }
            Err(AppError::Unauthenticated) => None,
            Err(e) => return ApiError::from(e).into_response(),
        }
    } else {
        None
    };
    if spec.access != Access::Public {
        let Some(p) = &principal else {
            return ApiError::from(AppError::Unauthenticated).into_response();
        };
        if !p.allows(spec.access, None) {
            return ApiError::from(AppError::forbidden("this account may not use this route"))
                .into_response();
        }
    }
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if let (Some(expected), true) = (&csrf_expected, unsafe_method) {
        let given = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        // Signing in needs no token (the cookie may be stale); everything else does.
        let signing_in = spec.method == "POST" && spec.path == "/api/v1/session";
        if !signing_in && given != expected {
            return ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("missing or wrong {CSRF_HEADER} header"),
            )
            .into_response();
        }
    }
    req.extensions_mut().insert(Caller(principal));
    next.run(req).await
}

/// A known path asked with a method it does not have: OPTIONS lists the methods, anything
/// else is 405. Both name the methods in `Allow`.
fn method_not_routed(method: &Method, path: &str) -> Response {
    let allow = policy::allowed_methods(path).join(", ");
    let allow_header = [(header::ALLOW, allow.clone())];
    if *method == Method::OPTIONS {
        return (StatusCode::NO_CONTENT, allow_header).into_response();
    }
    let error = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{method} is not allowed here; allowed: {allow}"),
    );
    (allow_header, error).into_response()
}
