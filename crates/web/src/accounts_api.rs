//! Session, users, ledger and audit routes.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::{Extension, Json};
use fucai_app::{NewUser, Principal, PublishedHead};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{session_cookie, session_token, Caller, SESSION_COOKIE};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery};
use crate::wire::{
    AuditHeadJson, AuditVerifyJson, BalanceJson, LedgerVerifyJson, LoginBody, NewUserBody,
    SessionJson, UserJson,
};
use crate::AppState;

/// Liveness.
#[utoipa::path(get, path = "/healthz", tag = "system", responses((status = 200, description = "the server is up", content_type = "text/plain", body = String)))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// Sign in: sets the HttpOnly, SameSite=Strict session cookie and returns the CSRF token.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginBody,
    responses((status = 200, body = SessionJson), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<Arc<AppState>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<impl IntoResponse> {
    let outcome = state
        .app
        .login(&body.username, &body.password, &addr.ip().to_string())
        .await?;
    let cookie = session_cookie(&state, &headers, &outcome);
    let body = SessionJson {
        username: outcome.username,
        role: outcome.role,
        station: outcome.station,
        csrf_token: Some(outcome.csrf_token),
    };
    Ok(([(header::SET_COOKIE, cookie)], Json(body)))
}

/// Who is signed in.
#[utoipa::path(get, path = "/api/v1/session", tag = "session", responses((status = 200, body = SessionJson), (status = 401, body = ErrorBody)), security(("session" = [])))]
pub async fn me(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<SessionJson>> {
    match caller.principal()? {
        p @ Principal::User { username, role, .. } => Ok(Json(SessionJson {
            username: username.clone(),
            role: role.code().into(),
            station: state.app.station_of(p)?,
            csrf_token: None,
        })),
        Principal::Terminal { .. } => {
            Err(fucai_app::AppError::forbidden("terminals have no session").into())
        }
    }
}

/// Sign out.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204, description = "signed out")), security(("session" = [])))]
pub async fn logout(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> ApiResult<impl IntoResponse> {
    if let Some(token) = session_token(&headers) {
        state.app.logout(&token).await?;
    }
    let cookie = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]))
}

/// Create a user (admin).
#[utoipa::path(post, path = "/api/v1/users", tag = "session", request_body = NewUserBody,
    responses((status = 201, description = "created", body = UserJson), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn create_user(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<NewUserBody>,
) -> ApiResult<(StatusCode, Json<UserJson>)> {
    let created = UserJson {
        username: body.username.clone(),
        display_name: body.display_name.clone(),
        role: body.role.clone(),
        station: body.station.clone(),
    };
    let new = NewUser {
        username: body.username,
        display_name: body.display_name,
        password: body.password,
        role: body.role,
        station: body.station,
    };
    state.app.create_user(caller.principal()?, new).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Every account's balance (debit positive, credit negative), in 分.
#[utoipa::path(get, path = "/api/v1/ledger/balances", tag = "ledger", responses((status = 200, body = Vec<BalanceJson>), (status = 403, body = ErrorBody)), security(("session" = [])))]
pub async fn balances(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<Vec<BalanceJson>>> {
    Ok(Json(
        state
            .app
            .balances(caller.principal()?)?
            .into_iter()
            .map(BalanceJson::from)
            .collect(),
    ))
}

/// Check the ledger: entries balanced, balances = lines, tickets = postings.
#[utoipa::path(get, path = "/api/v1/ledger/verify", tag = "ledger", responses((status = 200, body = LedgerVerifyJson), (status = 403, body = ErrorBody)), security(("session" = [])))]
pub async fn verify_ledger(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<LedgerVerifyJson>> {
    Ok(Json(state.app.verify_ledger(caller.principal()?)?.into()))
}

/// Walk the audit hash chain and report the first broken link.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit", params(KeptHeadQuery), responses((status = 200, body = AuditVerifyJson), (status = 403, body = ErrorBody)), security(("session" = [])))]
pub async fn verify_audit(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<KeptHeadQuery>,
) -> ApiResult<Json<AuditVerifyJson>> {
    let kept = match (q.count, q.hash) {
        (Some(count), Some(hash)) => vec![PublishedHead::kept(
            "the head given in the request",
            count,
            hash,
        )],
        (None, None) => Vec::new(),
        (Some(_), None) => return Err(ApiError::invalid("hash", "give it with count")),
        (None, Some(_)) => return Err(ApiError::invalid("count", "give it with hash")),
    };
    let check = state.app.verify_audit(caller.principal()?, &kept)?;
    Ok(Json(AuditVerifyJson::from(check)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct KeptHeadQuery {
    /// A head kept earlier from `/api/v1/public/audit-head`: its record count…
    pub count: Option<i64>,
    /// …and its hash.
    pub hash: Option<String>,
}

/// The audit chain's newest record (public): keep it, and a later `audit verify` against it
/// shows whether records up to it were removed or rewritten.
#[utoipa::path(get, path = "/api/v1/public/audit-head", tag = "public",
    responses((status = 200, body = AuditHeadJson)))]
pub async fn audit_head(State(state): State<Arc<AppState>>) -> ApiResult<Json<AuditHeadJson>> {
    Ok(Json(state.app.audit_head()?.into()))
}
