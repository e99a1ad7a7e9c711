//! Campaign, activity and evidence routes.

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::{Extension, Json};
use fucai_app::network::{ActivityInput, CampaignInput, MAX_EVIDENCE_BYTES};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Upload};
use crate::registers_api::{download, file_format, ExportQuery};
use crate::wire::{
    ActivityBody, ActivityJson, CampaignBody, CampaignJson, CampaignViewJson, EvidenceJson,
    EvidenceProblemJson, EvidenceUploadQuery, PeriodExportQuery, PeriodQuery, RewardBody,
    SubjectQuery,
};
use crate::AppState;

/// Start a campaign.
#[utoipa::path(post, path = "/api/v1/campaigns", tag = "network", request_body = CampaignBody,
    responses((status = 201, body = CampaignJson), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn create_campaign(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<CampaignBody>,
) -> ApiResult<(StatusCode, Json<CampaignJson>)> {
    let input = CampaignInput {
        code: b.code,
        name: b.name,
        games: b.games,
        starts_on: b.starts_on,
        ends_on: b.ends_on,
        metric: b.metric,
        town: b.town,
    };
    let c = state
        .app
        .create_campaign(caller.principal()?, input)
        .await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// Every campaign, newest first.
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "network",
    responses((status = 200, body = Vec<CampaignJson>)), security(("session" = [])))]
pub async fn campaigns(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<Vec<CampaignJson>>> {
    let rows = state.app.campaigns(caller.principal()?)?;
    Ok(Json(rows.into_iter().map(CampaignJson::from).collect()))
}

/// A campaign with its ranking (live from the ledger, or as kept at its close) and rewards.
#[utoipa::path(get, path = "/api/v1/campaigns/{code}", tag = "network", params(("code" = String, Path, description = "campaign code")),
    responses((status = 200, body = CampaignViewJson), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn campaign(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<CampaignViewJson>> {
    Ok(Json(state.app.campaign(caller.principal()?, &code)?.into()))
}

/// Close a campaign: its ranking is kept and never changes again.
#[utoipa::path(post, path = "/api/v1/campaigns/{code}/close", tag = "network", params(("code" = String, Path, description = "campaign code")),
    responses((status = 200, body = CampaignViewJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn close_campaign(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<CampaignViewJson>> {
    let view = state.app.close_campaign(caller.principal()?, &code).await?;
    Ok(Json(view.into()))
}

/// Record a reward given to a ranked station.
#[utoipa::path(post, path = "/api/v1/campaigns/{code}/rewards", tag = "network", params(("code" = String, Path, description = "campaign code")),
    request_body = RewardBody, responses((status = 200, body = CampaignViewJson), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn reward(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
    ApiJson(b): ApiJson<RewardBody>,
) -> ApiResult<Json<CampaignViewJson>> {
    let view = state
        .app
        .reward_station(
            caller.principal()?,
            &code,
            &b.station,
            &b.reward,
            &b.given_on,
        )
        .await?;
    Ok(Json(view.into()))
}

/// The ranking as CSV or XLSX.
#[utoipa::path(get, path = "/api/v1/campaigns/{code}/export", tag = "network", params(("code" = String, Path, description = "campaign code"), ExportQuery),
    responses((status = 200, description = "the file", content_type = "text/csv", body = String), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn export_campaign(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<impl IntoResponse> {
    let (format, mime, ext) = file_format(q.format.as_deref().unwrap_or("csv"))?;
    let bytes = state
        .app
        .export_campaign(caller.principal()?, &code, format)?;
    Ok(download((mime, ext), &format!("campaign-{code}"), bytes))
}

/// Record an activity (党建 / 志愿服务 / 团建).
#[utoipa::path(post, path = "/api/v1/activities", tag = "network", request_body = ActivityBody,
    responses((status = 201, body = ActivityJson), (status = 400, body = ErrorBody)), security(("session" = [])))]
pub async fn record_activity(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<ActivityBody>,
) -> ApiResult<(StatusCode, Json<ActivityJson>)> {
    let input = ActivityInput {
        kind: b.kind,
        title: b.title,
        starts_on: b.starts_on,
        ends_on: b.ends_on,
        place: b.place,
        organiser: b.organiser,
        participants: b.participants,
        description: b.description,
        staff: b.staff,
    };
    let a = state
        .app
        .record_activity(caller.principal()?, input)
        .await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

/// Activities of a period.
#[utoipa::path(get, path = "/api/v1/activities", tag = "network", params(PeriodQuery),
    responses((status = 200, body = Vec<ActivityJson>)), security(("session" = [])))]
pub async fn activities(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> ApiResult<Json<Vec<ActivityJson>>> {
    let rows = state.app.activities(caller.principal()?, &q.from, &q.to)?;
    Ok(Json(rows.into_iter().map(ActivityJson::from).collect()))
}

/// Activities of a period as CSV or XLSX.
#[utoipa::path(get, path = "/api/v1/activities/export", tag = "network", params(PeriodExportQuery),
    responses((status = 200, description = "the file", content_type = "text/csv", body = String)), security(("session" = [])))]
pub async fn export_activities(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<PeriodExportQuery>,
) -> ApiResult<impl IntoResponse> {
    let (format, mime, ext) = file_format(q.format.as_deref().unwrap_or("csv"))?;
    let bytes = state
        .app
        .export_activities(caller.principal()?, &q.from, &q.to, format)?;
    Ok(download((mime, ext), "activities", bytes))
}

/// Upload an evidence file (image or PDF, at most 10 MB) for a finding, a visit or an
/// activity; the body is the file.
#[utoipa::path(post, path = "/api/v1/evidence", tag = "network", params(EvidenceUploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "JPEG, PNG, GIF, WebP or PDF"),
    responses((status = 201, body = EvidenceJson), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn upload_evidence(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<EvidenceUploadQuery>,
    Upload(body): Upload,
) -> ApiResult<(StatusCode, Json<EvidenceJson>)> {
    let row = state
        .app
        .upload_evidence(caller.principal()?, &q.subject, &q.name, &body)
        .await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// The evidence of a subject.
#[utoipa::path(get, path = "/api/v1/evidence", tag = "network", params(SubjectQuery),
    responses((status = 200, body = Vec<EvidenceJson>), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn evidence_of(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<SubjectQuery>,
) -> ApiResult<Json<Vec<EvidenceJson>>> {
    let rows = state.app.evidence_of(caller.principal()?, &q.subject)?;
    Ok(Json(rows.into_iter().map(EvidenceJson::from).collect()))
}

/// One evidence file, checked against its hash on the way out.
#[utoipa::path(get, path = "/api/v1/evidence/{sha256}", tag = "network", params(("sha256" = String, Path, description = "the file's SHA-256")),
    responses((status = 200, description = "the file", content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn evidence_file(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(sha256): ApiPath<String>,
) -> ApiResult<impl IntoResponse> {
    let (row, bytes) = state.app.evidence_file(caller.principal()?, &sha256)?;
    Ok(([(header::CONTENT_TYPE, row.mime)], bytes))
}

/// Every evidence file re-read: those missing or changed on disk.
#[utoipa::path(get, path = "/api/v1/evidence/check", tag = "network",
    responses((status = 200, body = Vec<EvidenceProblemJson>)), security(("session" = [])))]
pub async fn check_evidence(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<Vec<EvidenceProblemJson>>> {
    let problems = state.app.check_evidence(caller.principal()?)?;
    Ok(Json(
        problems
            .into_iter()
            .map(EvidenceProblemJson::from)
            .collect(),
    ))
}

/// The routes (the access table in `policy.rs` lists each).
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/campaigns", get(campaigns).post(create_campaign))
        .route("/api/v1/campaigns/{code}", get(campaign))
        .route("/api/v1/campaigns/{code}/close", post(close_campaign))
        .route("/api/v1/campaigns/{code}/rewards", post(reward))
        .route("/api/v1/campaigns/{code}/export", get(export_campaign))
        .route("/api/v1/activities", get(activities).post(record_activity))
        .route("/api/v1/activities/export", get(export_activities))
        .route(
            "/api/v1/evidence",
            get(evidence_of)
                .post(upload_evidence)
                // A file one byte over the limit reaches the use case, which refuses it by name.
                .layer(DefaultBodyLimit::max(MAX_EVIDENCE_BYTES + 1)),
        )
        .route("/api/v1/evidence/check", get(check_evidence))
        .route("/api/v1/evidence/{sha256}", get(evidence_file))
}
