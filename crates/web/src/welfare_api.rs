//! Welfare-fund routes: programmes, beneficiaries, grants, reports, public disclosure.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use fucai_app::welfare::{BeneficiaryInput, GrantInput, ProgrammeInput};
use fucai_ledger::Money;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::registers_api::{download, file_format};
use crate::wire::{
    AddedBeneficiaryJson, BeneficiaryJson, DisclosureLineJson, GrantDecisionJson, GrantJson,
    ProgrammeJson, WelfareReportJson,
};
use crate::AppState;

pub(crate) fn money(field: &str, yuan: &str) -> ApiResult<Money> {
    yuan.parse::<Money>()
        .map_err(|e| ApiError::invalid(field, e.to_string()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeBody {
    pub code: String,
    pub name: String,
    /// elderly (扶老), disabled (助残), orphans (救孤) or poverty (济困).
    pub category: String,
    pub year: i64,
    /// In 元, e.g. "50000".
    pub budget: String,
}

/// Programmes with budget and spending.
#[utoipa::path(get, path = "/api/v1/welfare/programmes", tag = "welfare", responses((status = 200, description = "programmes", body = Vec<ProgrammeJson>)), security(("session" = [])))]
pub async fn programmes(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<Vec<ProgrammeJson>>> {
    let programmes = state.app.programmes(caller.principal()?)?;
    Ok(Json(
        programmes.into_iter().map(ProgrammeJson::from).collect(),
    ))
}

/// Propose a programme (draft).
#[utoipa::path(post, path = "/api/v1/welfare/programmes", tag = "welfare", request_body = ProgrammeBody,
    responses((status = 201, description = "created", body = ProgrammeJson), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn create_programme(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<ProgrammeBody>,
) -> ApiResult<(StatusCode, Json<ProgrammeJson>)> {
    let input = ProgrammeInput {
        code: b.code,
        name: b.name,
        category: b.category,
        year: b.year,
        budget: money("budget", &b.budget)?,
    };
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .app
                .create_programme(caller.principal()?, input)
                .await?
                .into(),
        ),
    ))
}

/// Approve a programme: its budget is reserved out of the district welfare fund.
#[utoipa::path(post, path = "/api/v1/welfare/programmes/{code}/approve", tag = "welfare", params(("code" = String, Path, description = "programme code")),
    responses((status = 200, description = "approved", body = ProgrammeJson), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = [])))]
pub async fn approve_programme(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<ProgrammeJson>> {
    Ok(Json(
        state
            .app
            .approve_programme(caller.principal()?, &code)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BeneficiaryBody {
    /// person or institution.
    pub kind: String,
    pub name: String,
    /// 身份证号 (persons).
    pub id_number: Option<String>,
    /// Town code.
    pub town: String,
    #[serde(default)]
    pub household: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub contact: String,
}

/// Register a beneficiary (a repeated 身份证号 is refused; likely duplicates are listed).
#[utoipa::path(post, path = "/api/v1/welfare/beneficiaries", tag = "welfare", request_body = BeneficiaryBody,
    responses((status = 201, description = "registered", body = AddedBeneficiaryJson), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn add_beneficiary(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<BeneficiaryBody>,
) -> ApiResult<(StatusCode, Json<AddedBeneficiaryJson>)> {
    let input = BeneficiaryInput {
        kind: b.kind,
        name: b.name,
        id_number: b.id_number,
        town: b.town,
        household: b.household,
        tags: b.tags,
        contact: b.contact,
    };
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .app
                .add_beneficiary(caller.principal()?, input)
                .await?
                .into(),
        ),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnmaskQuery {
    /// Show personal data unmasked (allowed roles only; audited).
    pub unmasked: Option<bool>,
}

/// Beneficiaries, personal data masked unless asked and allowed.
#[utoipa::path(get, path = "/api/v1/welfare/beneficiaries", tag = "welfare", params(UnmaskQuery),
    responses((status = 200, description = "beneficiaries", body = Vec<BeneficiaryJson>), (status = 403, body = ErrorBody)), security(("session" = [])))]
pub async fn beneficiaries(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<UnmaskQuery>,
) -> ApiResult<Json<Vec<BeneficiaryJson>>> {
    Ok(Json(
        state
            .app
            .beneficiaries(caller.principal()?, q.unmasked.unwrap_or(false))
            .await?
            .into_iter()
            .map(BeneficiaryJson::from)
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantBody {
    pub beneficiary_id: i64,
    /// In 元.
    pub amount: String,
    pub purpose: String,
    /// YYYY-MM-DD.
    pub date: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeBody {
    pub programme: String,
    /// One grant, or several forming one batch (one approval).
    pub grants: Vec<GrantBody>,
}

/// Propose grants under a programme.
#[utoipa::path(post, path = "/api/v1/welfare/grants", tag = "welfare", request_body = ProposeBody,
    responses((status = 201, description = "proposed", body = Vec<GrantJson>), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = [])))]
pub async fn propose(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<ProposeBody>,
) -> ApiResult<(StatusCode, Json<Vec<GrantJson>>)> {
    let mut inputs = Vec::with_capacity(b.grants.len());
    for (i, g) in b.grants.into_iter().enumerate() {
        let amount = money(&format!("grants[{i}].amount"), &g.amount)?;
        inputs.push(GrantInput {
            beneficiary_id: g.beneficiary_id,
            amount,
            purpose: g.purpose,
            date: g.date,
            note: g.note,
        });
    }
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .app
                .propose_grants(caller.principal()?, &b.programme, inputs)
                .await?
                .into_iter()
                .map(GrantJson::from)
                .collect(),
        ),
    ))
}

/// Grants (beneficiary names masked for roles without personal-data rights).
#[utoipa::path(get, path = "/api/v1/welfare/grants", tag = "welfare", responses((status = 200, description = "grants", body = Vec<GrantJson>)), security(("session" = [])))]
pub async fn grants(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<Vec<GrantJson>>> {
    let grants = state.app.grants(caller.principal()?, None)?;
    Ok(Json(grants.into_iter().map(GrantJson::from).collect()))
}

/// Approve one grant (not by its maker): posted to the ledger and paid.
#[utoipa::path(post, path = "/api/v1/welfare/grants/{id}/approve", tag = "welfare", params(("id" = i64, Path, description = "grant id")),
    responses((status = 200, description = "paid", body = GrantJson), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = [])))]
pub async fn approve(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<GrantJson>> {
    Ok(Json(
        state
            .app
            .approve_grant(caller.principal()?, id)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectBody {
    pub reason: String,
}

/// Reject one grant with a reason.
#[utoipa::path(post, path = "/api/v1/welfare/grants/{id}/reject", tag = "welfare", params(("id" = i64, Path, description = "grant id")), request_body = RejectBody,
    responses((status = 200, description = "rejected", body = GrantJson), (status = 403, body = ErrorBody)), security(("session" = [])))]
pub async fn reject(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RejectBody>,
) -> ApiResult<Json<GrantJson>> {
    Ok(Json(
        state
            .app
            .reject_grant(caller.principal()?, id, &b.reason)
            .await?
            .into(),
    ))
}

/// Approve a whole batch in one decision; the answer gives each row's outcome.
#[utoipa::path(post, path = "/api/v1/welfare/batches/{id}/approve", tag = "welfare", params(("id" = i64, Path, description = "batch id")),
    responses((status = 200, description = "per-row outcomes", body = Vec<GrantDecisionJson>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn approve_batch(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<GrantDecisionJson>>> {
    let decisions = state.app.approve_batch(caller.principal()?, id).await?;
    Ok(Json(
        decisions.into_iter().map(GrantDecisionJson::from).collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    pub year: i64,
    /// json (default), csv or xlsx (disclosure only).
    pub format: Option<String>,
}

/// Budget against spending per programme; paid grants per category and per town.
#[utoipa::path(get, path = "/api/v1/welfare/report", tag = "welfare", params(YearQuery), responses((status = 200, description = "the report", body = WelfareReportJson)), security(("session" = [])))]
pub async fn report(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<WelfareReportJson>> {
    Ok(Json(
        state
            .app
            .welfare_report(caller.principal()?, q.year)?
            .into(),
    ))
}

/// The year's 公益金使用公告 (public; personal names masked), as JSON, CSV or XLSX.
#[utoipa::path(get, path = "/api/v1/public/welfare/disclosure", tag = "public", params(YearQuery), responses((status = 200, description = "the disclosure: JSON, or CSV / XLSX with format=csv|xlsx",
        content((Vec<DisclosureLineJson> = "application/json"), (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
pub async fn disclosure(
    State(state): State<Arc<AppState>>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<axum::response::Response> {
    let name = q.format.as_deref().unwrap_or("json");
    if name == "json" {
        let lines = state.app.disclosure(q.year)?;
        let lines: Vec<DisclosureLineJson> = lines.into_iter().map(Into::into).collect();
        return Ok(Json(lines).into_response());
    }
    let (format, mime, ext) = file_format(name)?;
    let bytes = state.app.export_disclosure(q.year, format)?;
    Ok(download((mime, ext), &format!("disclosure-{}", q.year), bytes).into_response())
}

pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
