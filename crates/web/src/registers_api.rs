//! Register routes: stations (list, one, export), terminals, downloads. Uploads are in `imports_api`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::{Extension, Json};
use fucai_app::Format;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::wire::{NewTerminalBody, StationFilter, StationJson, TerminalCreatedJson};
use crate::AppState;

/// The stations, optionally of one town and/or in one status.
#[utoipa::path(get, path = "/api/v1/stations", tag = "registers", params(StationFilter),
    responses((status = 200, body = Vec<StationJson>), (status = 403, body = ErrorBody)), security(("session" = [])))]
pub async fn stations(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<StationFilter>,
) -> ApiResult<Json<Vec<StationJson>>> {
    Ok(Json(
        state
            .app
            .stations_where(caller.principal()?, q.town.as_deref(), q.status.as_deref())?
            .into_iter()
            .map(StationJson::from)
            .collect(),
    ))
}

/// One station (station roles: their own only).
#[utoipa::path(get, path = "/api/v1/stations/{code}", tag = "registers", params(("code" = String, Path, description = "station code")),
    responses((status = 200, body = StationJson), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn station(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<StationJson>> {
    Ok(Json(state.app.station(caller.principal()?, &code)?.into()))
}

/// A download format asked for by name: the format, its MIME type and file extension.
pub(crate) fn file_format(name: &str) -> ApiResult<(Format, &'static str, &'static str)> {
    match name {
        "csv" => Ok((Format::Csv, "text/csv; charset=utf-8", "csv")),
        "xlsx" => Ok((
            Format::Xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )),
        other => Err(ApiError::invalid(
            "format",
            format!("'{other}' is not csv or xlsx"),
        )),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// csv (default) or xlsx.
    pub format: Option<String>,
}

/// Export every station as CSV or XLSX.
#[utoipa::path(get, path = "/api/v1/stations/export", tag = "registers", params(ExportQuery),
    responses((status = 200, description = "the file", content_type = "text/csv", body = String), (status = 400, body = ErrorBody)), security(("session" = [])))]
pub async fn export_stations(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<impl IntoResponse> {
    let who = caller.principal()?;
    export(&q, "stations", |format| {
        state.app.export_stations(who, format)
    })
}

/// Register a terminal at a station; the answer carries its secret, shown once.
#[utoipa::path(post, path = "/api/v1/stations/{code}/terminals", tag = "registers", params(("code" = String, Path, description = "station code")),
    request_body = NewTerminalBody, responses((status = 201, body = TerminalCreatedJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn add_terminal(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<NewTerminalBody>,
) -> ApiResult<(StatusCode, Json<TerminalCreatedJson>)> {
    let secret = state
        .app
        .add_terminal(caller.principal()?, &code, &body.code)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(TerminalCreatedJson {
            code: body.code,
            station: code,
            secret,
        }),
    ))
}

/// Answers an export: the format the query asks for (CSV by default), as a file named `name`.
pub(crate) fn export(
    q: &ExportQuery,
    name: &str,
    make: impl FnOnce(Format) -> fucai_app::AppResult<Vec<u8>>,
) -> ApiResult<axum::response::Response> {
    let (format, mime, ext) = file_format(q.format.as_deref().unwrap_or("csv"))?;
    Ok(download((mime, ext), name, make(format)?).into_response())
}

pub(crate) fn download(
    format: (&'static str, &'static str),
    name: &str,
    bytes: Vec<u8>,
) -> impl IntoResponse {
    let (mime, ext) = format;
    let disposition = format!("attachment; filename=\"{name}.{ext}\"");
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
}

/// Export the towns and streets as CSV or XLSX.
#[utoipa::path(get, path = "/api/v1/towns/export", tag = "registers", params(ExportQuery),
    responses((status = 200, description = "the file", content_type = "text/csv", body = String), (status = 400, body = ErrorBody)), security(("session" = [])))]
pub async fn export_towns(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<impl IntoResponse> {
    let who = caller.principal()?;
    export(&q, "towns", |format| state.app.export_towns(who, format))
}

/// Export the terminals (code, station, status; never their secrets).
#[utoipa::path(get, path = "/api/v1/terminals/export", tag = "registers", params(ExportQuery),
    responses((status = 200, description = "the file", content_type = "text/csv", body = String), (status = 400, body = ErrorBody)), security(("session" = [])))]
pub async fn export_terminals(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<impl IntoResponse> {
    let who = caller.principal()?;
    export(&q, "terminals", |format| {
        state.app.export_terminals(who, format)
    })
}
