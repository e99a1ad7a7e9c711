//! Visit and rectification routes: the checklist, visit plans and their progress, visits,
//! findings and their moves, appeals, return visits, and the yearly star ratings.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use fucai_app::network::{FindingInput, FindingMove, ReturnVisitInput, VisitInput};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::wire::{
    AppealDecisionBody, ChecklistItemJson, ChecklistJson, EvidenceBody, FindingBody,
    FindingDetailJson, FindingFilter, FindingJson, NoteBody, PeriodQuery, PlanProgressJson,
    RatingJson, ReasonBody, RecordedReturnVisitJson, RecordedVisitJson, ReturnVisitBody,
    ReturnVisitJson, VisitBody, VisitFilter, VisitJson, VisitPlanBody,
};
use crate::AppState;

fn finding_input(b: FindingBody) -> FindingInput {
    FindingInput {
        item: b.item,
        description: b.description,
        responsible: b.responsible,
        deadline: b.deadline,
    }
}

/// The inspection checklist (rule data).
#[utoipa::path(get, path = "/api/v1/checklist", tag = "network",
    responses((status = 200, body = ChecklistJson)), security(("session" = [])))]
pub async fn checklist(State(state): State<Arc<AppState>>) -> Json<ChecklistJson> {
    let c = state.app.checklist();
    Json(ChecklistJson {
        version: c.version.clone(),
        items: c
            .item
            .iter()
            .map(|i| ChecklistItemJson {
                code: i.code.clone(),
                name: i.name.clone(),
                points: i.points,
            })
            .collect(),
    })
}

/// Set how many visits of a kind each station gets in a year.
#[utoipa::path(post, path = "/api/v1/visit-plans", tag = "network", request_body = VisitPlanBody,
    responses((status = 200, body = Vec<PlanProgressJson>), (status = 400, body = ErrorBody)), security(("session" = [])))]
pub async fn set_plan(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<VisitPlanBody>,
) -> ApiResult<Json<Vec<PlanProgressJson>>> {
    let who = caller.principal()?;
    state
        .app
        .set_visit_plan(who, b.year, &b.kind, b.per_station)
        .await?;
    plan_answer(&state, &caller, b.year)
}

fn plan_answer(
    state: &AppState,
    caller: &Caller,
    year: i64,
) -> ApiResult<Json<Vec<PlanProgressJson>>> {
    let progress = state.app.plan_progress(caller.principal()?, year)?;
    Ok(Json(
        progress.into_iter().map(PlanProgressJson::from).collect(),
    ))
}

/// The year's visit plans and how far each has got.
#[utoipa::path(get, path = "/api/v1/visit-plans/{year}", tag = "network", params(("year" = i64, Path, description = "year")),
    responses((status = 200, body = Vec<PlanProgressJson>)), security(("session" = [])))]
pub async fn plans(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(year): ApiPath<i64>,
) -> ApiResult<Json<Vec<PlanProgressJson>>> {
    plan_answer(&state, &caller, year)
}

/// Record a visit with its checklist scores and the findings it raised.
#[utoipa::path(post, path = "/api/v1/visits", tag = "network", request_body = VisitBody,
    responses((status = 201, body = RecordedVisitJson), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn record_visit(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<VisitBody>,
) -> ApiResult<(StatusCode, Json<RecordedVisitJson>)> {
    let input = VisitInput {
        station: b.station,
        kind: b.kind,
        visited_on: b.visited_on,
        visitors: b.visitors,
        opinions: b.opinions,
        scores: b.scores.into_iter().collect(),
        findings: b.findings.into_iter().map(finding_input).collect(),
    };
    let visit = state.app.record_visit(caller.principal()?, input).await?;
    Ok((StatusCode::CREATED, Json(visit.into())))
}

/// Visits in a period (station owners: their own station's, with `station`).
#[utoipa::path(get, path = "/api/v1/visits", tag = "network", params(VisitFilter),
    responses((status = 200, body = Vec<VisitJson>)), security(("session" = [])))]
pub async fn visits(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<VisitFilter>,
) -> ApiResult<Json<Vec<VisitJson>>> {
    let rows = state
        .app
        .visits(caller.principal()?, q.station.as_deref(), &q.from, &q.to)?;
    Ok(Json(rows.into_iter().map(VisitJson::from).collect()))
}

/// Findings: of one station or all, by status, or only the overdue ones.
#[utoipa::path(get, path = "/api/v1/findings", tag = "network", params(FindingFilter),
    responses((status = 200, body = Vec<FindingJson>)), security(("session" = [])))]
pub async fn findings(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<FindingFilter>,
) -> ApiResult<Json<Vec<FindingJson>>> {
    let rows = state.app.findings(
        caller.principal()?,
        q.station.as_deref(),
        q.status.as_deref(),
        q.overdue,
    )?;
    Ok(Json(rows.into_iter().map(FindingJson::from).collect()))
}

/// A finding with its whole history and its appeals.
#[utoipa::path(get, path = "/api/v1/findings/{id}", tag = "network", params(("id" = i64, Path, description = "finding id")),
    responses((status = 200, body = FindingDetailJson), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn finding(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<FindingDetailJson>> {
    Ok(Json(state.app.finding(caller.principal()?, id)?.into()))
}

async fn move_finding(
    state: &AppState,
    caller: &Caller,
    id: i64,
    change: FindingMove,
) -> ApiResult<Json<FindingDetailJson>> {
    let detail = state
        .app
        .move_finding(caller.principal()?, id, change)
        .await?;
    Ok(Json(detail.into()))
}

/// The station starts on a finding.
#[utoipa::path(post, path = "/api/v1/findings/{id}/start", tag = "network", params(("id" = i64, Path, description = "finding id")),
    responses((status = 200, body = FindingDetailJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn start_finding(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<FindingDetailJson>> {
    move_finding(&state, &caller, id, FindingMove::Start).await
}

/// The station submits its rectification with the evidence.
#[utoipa::path(post, path = "/api/v1/findings/{id}/submit", tag = "network", params(("id" = i64, Path, description = "finding id")),
    request_body = EvidenceBody, responses((status = 200, body = FindingDetailJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn submit_finding(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<EvidenceBody>,
) -> ApiResult<Json<FindingDetailJson>> {
    let change = FindingMove::Submit {
        evidence: b.evidence,
    };
    move_finding(&state, &caller, id, change).await
}

/// The center verifies a submitted rectification and closes the finding (never the
/// submitter).
#[utoipa::path(post, path = "/api/v1/findings/{id}/verify", tag = "network", params(("id" = i64, Path, description = "finding id")),
    request_body = NoteBody, responses((status = 200, body = FindingDetailJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn verify_finding(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<NoteBody>,
) -> ApiResult<Json<FindingDetailJson>> {
    move_finding(&state, &caller, id, FindingMove::Verify { note: b.note }).await
}

/// The center reopens a submitted or closed finding, with the reason.
#[utoipa::path(post, path = "/api/v1/findings/{id}/reopen", tag = "network", params(("id" = i64, Path, description = "finding id")),
    request_body = ReasonBody, responses((status = 200, body = FindingDetailJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn reopen_finding(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> ApiResult<Json<FindingDetailJson>> {
    move_finding(
        &state,
        &caller,
        id,
        FindingMove::Reopen { reason: b.reason },
    )
    .await
}

/// The station appeals (申诉) a finding.
#[utoipa::path(post, path = "/api/v1/findings/{id}/appeal", tag = "network", params(("id" = i64, Path, description = "finding id")),
    request_body = ReasonBody, responses((status = 200, body = FindingDetailJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn appeal(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> ApiResult<Json<FindingDetailJson>> {
    let detail = state
        .app
        .appeal_finding(caller.principal()?, id, &b.reason)
        .await?;
    Ok(Json(detail.into()))
}

/// Decide an appeal: overturned withdraws the finding; both outcomes stay on record.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/decide", tag = "network", params(("id" = i64, Path, description = "appeal id")),
    request_body = AppealDecisionBody, responses((status = 200, body = FindingDetailJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn decide_appeal(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<AppealDecisionBody>,
) -> ApiResult<Json<FindingDetailJson>> {
    let detail = state
        .app
        .decide_appeal(caller.principal()?, id, b.overturn, &b.note)
        .await?;
    Ok(Json(detail.into()))
}

/// Record a return visit (回访) to a station's customer or a grant's beneficiary.
#[utoipa::path(post, path = "/api/v1/return-visits", tag = "network", request_body = ReturnVisitBody,
    responses((status = 201, body = RecordedReturnVisitJson), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn record_return_visit(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<ReturnVisitBody>,
) -> ApiResult<(StatusCode, Json<RecordedReturnVisitJson>)> {
    let input = ReturnVisitInput {
        station: b.station,
        beneficiary_id: b.beneficiary_id,
        visited_on: b.visited_on,
        visitor: b.visitor,
        person: b.person,
        outcome: b.outcome,
        satisfaction: b.satisfaction,
        finding: b.finding.map(finding_input),
    };
    let recorded = state
        .app
        .record_return_visit(caller.principal()?, input)
        .await?;
    Ok((StatusCode::CREATED, Json(recorded.into())))
}

/// Return visits in a period.
#[utoipa::path(get, path = "/api/v1/return-visits", tag = "network", params(PeriodQuery),
    responses((status = 200, body = Vec<ReturnVisitJson>)), security(("session" = [])))]
pub async fn return_visits(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> ApiResult<Json<Vec<ReturnVisitJson>>> {
    let rows = state
        .app
        .return_visits(caller.principal()?, &q.from, &q.to)?;
    Ok(Json(rows.into_iter().map(ReturnVisitJson::from).collect()))
}

/// A year's star ratings: as recorded, or a preview computed now.
#[utoipa::path(get, path = "/api/v1/ratings/{year}", tag = "network", params(("year" = i64, Path, description = "year")),
    responses((status = 200, body = Vec<RatingJson>)), security(("session" = [])))]
pub async fn ratings(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(year): ApiPath<i64>,
) -> ApiResult<Json<Vec<RatingJson>>> {
    let lines = state.app.ratings(caller.principal()?, year)?;
    Ok(Json(lines.into_iter().map(RatingJson::from).collect()))
}

/// Rate every station for a year that has ended and keep the ratings (once).
#[utoipa::path(post, path = "/api/v1/ratings/{year}", tag = "network", params(("year" = i64, Path, description = "year")),
    responses((status = 201, body = Vec<RatingJson>), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn record_ratings(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(year): ApiPath<i64>,
) -> ApiResult<(StatusCode, Json<Vec<RatingJson>>)> {
    let lines = state.app.record_ratings(caller.principal()?, year).await?;
    Ok((
        StatusCode::CREATED,
        Json(lines.into_iter().map(RatingJson::from).collect()),
    ))
}

/// The routes (the access table in `policy.rs` lists each).
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/checklist", get(checklist))
        .route("/api/v1/visit-plans", post(set_plan))
        .route("/api/v1/visit-plans/{year}", get(plans))
        .route("/api/v1/visits", get(visits).post(record_visit))
        .route("/api/v1/findings", get(findings))
        .route("/api/v1/findings/{id}", get(finding))
        .route("/api/v1/findings/{id}/start", post(start_finding))
        .route("/api/v1/findings/{id}/submit", post(submit_finding))
        .route("/api/v1/findings/{id}/verify", post(verify_finding))
        .route("/api/v1/findings/{id}/reopen", post(reopen_finding))
        .route("/api/v1/findings/{id}/appeal", post(appeal))
        .route("/api/v1/appeals/{id}/decide", post(decide_appeal))
        .route(
            "/api/v1/return-visits",
            get(return_visits).post(record_return_visit),
        )
        .route("/api/v1/ratings/{year}", get(ratings).post(record_ratings))
}
