//! Station money routes: terms, remittances, commission, the statement (JSON, CSV, XLSX or a
//! printable page) and the overdue list.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Json};
use fucai_app::network::{RemittanceInput, StationStatement};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::registers_api::{download, file_format};
use crate::welfare_api::{escape, money};
use crate::wire::{
    BankDebitBody, CommissionBody, CommissionJson, OverdueJson, RemittanceBody, RemittanceJson,
    StatementJson, StatementQuery, TermsBody, TermsJson,
};
use crate::AppState;

/// Set a station's credit limit (deposit) and days to remit.
#[utoipa::path(post, path = "/api/v1/stations/{code}/terms", tag = "money", params(("code" = String, Path, description = "station code")),
    request_body = TermsBody, responses((status = 200, body = TermsJson), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn set_terms(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
    ApiJson(b): ApiJson<TermsBody>,
) -> ApiResult<Json<TermsJson>> {
    let limit = money("credit_limit", &b.credit_limit)?;
    let terms = state
        .app
        .set_station_terms(caller.principal()?, &code, limit, b.remit_days)
        .await?;
    Ok(Json(TermsJson {
        credit_limit_fen: terms.credit_limit.fen(),
        remit_days: terms.remit_days,
    }))
}

/// Record a remittance (缴款); partial remittances are fine, more than owed is refused.
#[utoipa::path(post, path = "/api/v1/remittances", tag = "money", request_body = RemittanceBody,
    responses((status = 201, body = RemittanceJson), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = [])))]
pub async fn remit(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<RemittanceBody>,
) -> ApiResult<(StatusCode, Json<RemittanceJson>)> {
    let input = RemittanceInput {
        station: b.station,
        amount: money("amount", &b.amount)?,
        method: b.method,
        reference: b.reference,
        paid_on: b.paid_on,
    };
    let row = state
        .app
        .record_remittance(caller.principal()?, input)
        .await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// The periodic bank debit: every station with an account agreement that owes anything has
/// all of it debited, as of a day.
#[utoipa::path(post, path = "/api/v1/remittances/bank-debit", tag = "money", request_body = BankDebitBody,
    responses((status = 200, body = Vec<RemittanceJson>)), security(("session" = [])))]
pub async fn bank_debit(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<BankDebitBody>,
) -> ApiResult<Json<Vec<RemittanceJson>>> {
    let rows = state.app.debit_stations(caller.principal()?, &b.on).await?;
    Ok(Json(rows.into_iter().map(RemittanceJson::from).collect()))
}

/// Settle the commission a station has earned: deducted at source or paid out.
#[utoipa::path(post, path = "/api/v1/stations/{code}/commission", tag = "money", params(("code" = String, Path, description = "station code")),
    request_body = CommissionBody, responses((status = 200, body = CommissionJson), (status = 422, body = ErrorBody)), security(("session" = [])))]
pub async fn settle_commission(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
    ApiJson(b): ApiJson<CommissionBody>,
) -> ApiResult<Json<CommissionJson>> {
    let settled = state
        .app
        .settle_commission(caller.principal()?, &code, b.deduct_at_source)
        .await?;
    Ok(Json(CommissionJson {
        station: code,
        settled_fen: settled.fen(),
    }))
}

/// A station's statement (对账单) of a period (station owners: their own), as JSON, CSV,
/// XLSX or a printable page.
#[utoipa::path(get, path = "/api/v1/stations/{code}/statement", tag = "money", params(("code" = String, Path, description = "station code"), StatementQuery),
    responses((status = 200, body = StatementJson), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn statement(
    State(state): State<Arc<AppState>>,
    visitor: crate::portal::Visitor,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<StatementQuery>,
) -> ApiResult<Response> {
    let s = state
        .app
        .station_statement(caller.principal()?, &code, &q.from, &q.to)?;
    let name = format!("statement-{}-{}-{}", s.station, s.from, s.to);
    match q.format.as_deref().unwrap_or("json") {
        "json" => Ok(Json(StatementJson::from(s)).into_response()),
        "html" => Ok(statement_page(&state, &visitor, &s).into_response()),
        other => {
            let (format, mime, ext) = file_format(other)?;
            let bytes = state.app.export_statement(&s, format)?;
            Ok(download((mime, ext), &name, bytes).into_response())
        }
    }
}

/// The printable statement: what the station owed, what moved, what it owes.
fn statement_page(
    state: &AppState,
    visitor: &crate::portal::Visitor,
    s: &StationStatement,
) -> Html<String> {
    let row = |label: &str, amount: fucai_ledger::Money| {
        format!(
            "<tr><th>{label}</th><td class=\"n\">{}</td></tr>",
            amount.display_yuan()
        )
    };
    let mut body = format!(
        "<p>{} {}（{} 至 {}）</p><table><caption>应缴销售款</caption>",
        escape(&s.station),
        escape(&s.station_name),
        escape(&s.from),
        escape(&s.to)
    );
    for (label, amount) in s.owed_lines() {
        body.push_str(&row(label, amount));
    }
    body.push_str("</table><table><caption>代销费</caption>");
    for (label, amount) in s.commission_lines() {
        body.push_str(&row(label, amount));
    }
    body.push_str("</table><table><caption>缴款明细</caption><tr><th>日期</th><th>方式</th><th>金额</th><th>凭证</th></tr>");
    for r in &s.remittance_lines {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            escape(&r.paid_on),
            escape(&r.method),
            r.amount.display_yuan(),
            escape(&r.reference)
        ));
    }
    body.push_str("</table>");
    crate::pages::raw_page(state, visitor, "站点对账单", body)
}

/// Stations owing takings older than their days to remit.
#[utoipa::path(get, path = "/api/v1/remittances/overdue", tag = "money",
    responses((status = 200, body = Vec<OverdueJson>)), security(("session" = [])))]
pub async fn overdue(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<Vec<OverdueJson>>> {
    let rows = state.app.overdue_stations(caller.principal()?)?;
    Ok(Json(rows.into_iter().map(OverdueJson::from).collect()))
}

/// The routes (the access table in `policy.rs` lists each).
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/stations/{code}/terms", post(set_terms))
        .route(
            "/api/v1/stations/{code}/commission",
            post(settle_commission),
        )
        .route("/api/v1/stations/{code}/statement", get(statement))
        .route("/api/v1/remittances", post(remit))
        .route("/api/v1/remittances/overdue", get(overdue))
        .route("/api/v1/remittances/bank-debit", post(bank_debit))
}
