//! Center hierarchy and user accounts as CSV/XLSX: import (all rows or none) and export.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Extension, Json};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiQuery, Upload};
use crate::imports_api::import_status;
use crate::registers_api::{export, ExportQuery};
use crate::wire::UserImportJson;
use crate::AppState;

/// Export the centers (code, name, level, parent) as CSV or XLSX.
#[utoipa::path(get, path = "/api/v1/centers/export", tag = "registers", params(ExportQuery),
    responses((status = 200, description = "the file", content_type = "text/csv", body = String), (status = 400, body = ErrorBody)), security(("session" = [])))]
pub async fn export_centers(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<impl IntoResponse> {
    let who = caller.principal()?;
    export(&q, "centers", |format| {
        state.app.export_centers(who, format)
    })
}

/// Export the user accounts (username, display_name, role, station, active; never passwords).
#[utoipa::path(get, path = "/api/v1/users/export", tag = "accounts", params(ExportQuery),
    responses((status = 200, description = "the file", content_type = "text/csv", body = String), (status = 400, body = ErrorBody)), security(("session" = [])))]
pub async fn export_users(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<impl IntoResponse> {
    let who = caller.principal()?;
    export(&q, "users", |format| state.app.export_users(who, format))
}

/// Create accounts from CSV or XLSX (username, display_name, role, station); all rows or
/// none. The answer holds each new account's first password, once.
#[utoipa::path(post, path = "/api/v1/users/import", tag = "accounts", request_body(content = Vec<u8>, content_type = "text/csv"),
    responses((status = 200, description = "created, with first passwords", body = UserImportJson), (status = 422, description = "row errors; nothing imported", body = UserImportJson), (status = 400, body = ErrorBody)),
    security(("session" = [])))]
pub async fn import_users(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    Upload(body): Upload,
) -> ApiResult<(StatusCode, Json<UserImportJson>)> {
    let report = state.app.import_users(caller.principal()?, &body).await?;
    Ok((import_status(&report.errors), Json(report.into())))
}
