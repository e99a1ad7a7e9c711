//! Signing in and out of the console, with the API's accounts, argon2id passwords, sign-in
//! limits and session cookie. The sign-in form carries its own CSRF token (a cookie the
//! page sets, compared with the posted field) because there is no session yet.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use fucai_app::AppError;
use minijinja::context;
use serde::Deserialize;

use super::render::{render, PageResult};
use super::staff::{safe_next, StaffForm};
use crate::auth::{read_cookie, session_cookie, session_token, SESSION_COOKIE};
use crate::AppState;

const LOGIN_CSRF_COOKIE: &str = "fucai_login_csrf";

fn login_form(status: StatusCode, next: &str, username: &str, error: Option<&str>) -> PageResult {
    let token = fucai_app::random_token(16);
    let html = render(
        "console/login.html",
        context! { title => "工作人员登录", next, username, error, login_csrf => &token },
    )?;
    let cookie =
        format!("{LOGIN_CSRF_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/console/login");
    Ok((status, [(header::SET_COOKIE, cookie)], Html(html)).into_response())
}

pub(crate) async fn login_page(Query(q): Query<BTreeMap<String, String>>) -> PageResult {
    let next = safe_next(q.get("next").map(String::as_str));
    login_form(StatusCode::OK, &next, "", None)
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn login(
    State(state): State<Arc<AppState>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> PageResult {
    let next = safe_next(Some(&form.next));
    let expected = read_cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !fucai_app::same_digest(&form.csrf, &expected) {
        return login_form(
            StatusCode::FORBIDDEN,
            &next,
            &form.username,
            Some("登录页面已过期，请重新输入后登录。"),
        );
    }
    let outcome = state
        .app
        .login(&form.username, &form.password, &addr.ip().to_string())
        .await;
    match outcome {
        Ok(outcome) => {
            let cookie = session_cookie(&state, &headers, &outcome);
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response())
        }
        Err(AppError::Unauthenticated) => login_form(
            StatusCode::UNAUTHORIZED,
            &next,
            &form.username,
            Some("用户名或密码不正确。"),
        ),
        Err(AppError::RateLimited { retry_after_s }) => login_form(
            StatusCode::TOO_MANY_REQUESTS,
            &next,
            &form.username,
            Some(&format!("尝试次数过多，请 {retry_after_s} 秒后再试。")),
        ),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct Nothing {}

pub(crate) async fn logout(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    form: StaffForm<Nothing>,
) -> Result<Response, super::Failure> {
    let _ = form.staff;
    if let Some(token) = session_token(&headers) {
        state.app.logout(&token).await?;
    }
    let cookie = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to("/console/login"),
    )
        .into_response())
}
