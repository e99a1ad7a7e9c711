//! Training routes: sessions, attendance, the period report and a staff member's record.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use fucai_app::network::{Attendee, TrainingInput};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Upload};
use crate::imports_api::import_status;
use crate::registers_api::{download, file_format};
use crate::wire::{
    AttendanceBody, AttendanceJson, ImportReportJson, PeriodExportQuery, PeriodQuery, TrainingBody,
    TrainingJson, TrainingReportJson,
};
use crate::AppState;

/// Record a training session.
#[utoipa::path(post, path = "/api/v1/trainings", tag = "network", request_body = TrainingBody,
    responses((status = 201, body = TrainingJson), (status = 400, body = ErrorBody)), security(("session" = [])))]
pub async fn create_training(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<TrainingBody>,
) -> ApiResult<(StatusCode, Json<TrainingJson>)> {
    let input = TrainingInput {
        kind: b.kind,
        topic: b.topic,
        held_on: b.held_on,
        place: b.place,
        trainer: b.trainer,
        pass_score: b.pass_score,
    };
    let session = state
        .app
        .create_training(caller.principal()?, input)
        .await?;
    Ok((StatusCode::CREATED, Json(session.into())))
}

/// Sessions held in a period.
#[utoipa::path(get, path = "/api/v1/trainings", tag = "network", params(PeriodQuery),
    responses((status = 200, body = Vec<TrainingJson>)), security(("session" = [])))]
pub async fn trainings(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> ApiResult<Json<Vec<TrainingJson>>> {
    let sessions = state.app.trainings(caller.principal()?, &q.from, &q.to)?;
    Ok(Json(sessions.into_iter().map(TrainingJson::from).collect()))
}

/// Record who attended a session (all or none), with exam scores where it has an exam.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/attendance", tag = "network", params(("id" = i64, Path, description = "session id")),
    request_body = AttendanceBody, responses((status = 200, body = TrainingJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn record_attendance(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<AttendanceBody>,
) -> ApiResult<Json<TrainingJson>> {
    let attendees = b
        .attendees
        .into_iter()
        .enumerate()
        .map(|(i, a)| match (a.person_id, a.username) {
            (Some(id), None) => Ok(Attendee::Person { id, score: a.score }),
            (None, Some(username)) => Ok(Attendee::Staff {
                username,
                score: a.score,
            }),
            _ => Err(ApiError::invalid(
                &format!("attendees[{i}]"),
                "either person_id or username",
            )),
        })
        .collect::<Result<_, _>>()?;
    let session = state
        .app
        .record_attendance(caller.principal()?, id, attendees)
        .await?;
    Ok(Json(session.into()))
}

/// Who attended a session, with exam results.
#[utoipa::path(get, path = "/api/v1/trainings/{id}/attendance", tag = "network", params(("id" = i64, Path, description = "session id")),
    responses((status = 200, body = Vec<AttendanceJson>), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn attendance(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<AttendanceJson>>> {
    let rows = state.app.training_attendance(caller.principal()?, id)?;
    Ok(Json(rows.into_iter().map(AttendanceJson::from).collect()))
}

/// The period's training report: sessions, person-times, stations trained and coverage, per
/// town (docs/NETWORK.md says how stations opening or closing mid-period count).
#[utoipa::path(get, path = "/api/v1/trainings/report", tag = "network", params(PeriodQuery),
    responses((status = 200, body = TrainingReportJson)), security(("session" = [])))]
pub async fn report(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> ApiResult<Json<TrainingReportJson>> {
    let report = state
        .app
        .training_report(caller.principal()?, &q.from, &q.to)?;
    Ok(Json(report.into()))
}

/// A staff member's training record (anyone may read their own).
#[utoipa::path(get, path = "/api/v1/users/{username}/training", tag = "network", params(("username" = String, Path, description = "username")),
    responses((status = 200, body = Vec<AttendanceJson>), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn staff_record(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(username): ApiPath<String>,
) -> ApiResult<Json<Vec<AttendanceJson>>> {
    let rows = state
        .app
        .staff_training_record(caller.principal()?, &username)?;
    Ok(Json(rows.into_iter().map(AttendanceJson::from).collect()))
}

/// Import a session's attendance sheet (CSV or XLSX: id_number or username, score); all rows
/// or none.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/attendance/import", tag = "network", params(("id" = i64, Path, description = "session id")),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "CSV or XLSX"),
    responses((status = 200, description = "imported", body = ImportReportJson), (status = 422, description = "row errors; nothing imported", body = ImportReportJson)),
    security(("session" = [])))]
pub async fn import_attendance(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    Upload(body): Upload,
) -> ApiResult<(StatusCode, Json<ImportReportJson>)> {
    let report = state
        .app
        .import_attendance(caller.principal()?, id, &body)
        .await?;
    Ok((import_status(&report.errors), Json(report.into())))
}

/// The period's training report as CSV or XLSX.
#[utoipa::path(get, path = "/api/v1/trainings/report/export", tag = "network", params(PeriodExportQuery),
    responses((status = 200, description = "the file", content_type = "text/csv", body = String)), security(("session" = [])))]
pub async fn export_report(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<PeriodExportQuery>,
) -> ApiResult<impl IntoResponse> {
    let (format, mime, ext) = file_format(q.format.as_deref().unwrap_or("csv"))?;
    let bytes = state
        .app
        .export_training_report(caller.principal()?, &q.from, &q.to, format)?;
    Ok(download((mime, ext), "training", bytes))
}

/// The training routes (the access table in `policy.rs` lists each).
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/trainings", get(trainings).post(create_training))
        .route("/api/v1/trainings/report", get(report))
        .route("/api/v1/trainings/report/export", get(export_report))
        .route(
            "/api/v1/trainings/{id}/attendance/import",
            post(import_attendance),
        )
        .route(
            "/api/v1/trainings/{id}/attendance",
            get(attendance).post(record_attendance),
        )
        .route("/api/v1/users/{username}/training", get(staff_record))
}
