//! 中福在线 halls — the register, daily closes, corrections, the close report — and sales by
//! channel. (The two uploads are in `imports_api`.)

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use fucai_app::{HallDayInput, SalesDimension};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::registers_api::{download, file_format};
use crate::welfare_api::money;
use crate::wire::{
    ChannelSalesJson, HallDayBody, HallDayJson, HallJson, HallReportJson, PeriodQuery,
    SalesReportJson, SalesReportQuery, StatementQuery, SummaryJson,
};
use crate::AppState;

/// The 中福在线 halls.
#[utoipa::path(get, path = "/api/v1/halls", tag = "channels",
    responses((status = 200, body = Vec<HallJson>)), security(("session" = [])))]
pub async fn halls(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<Vec<HallJson>>> {
    let halls = state.app.halls(caller.principal()?)?;
    Ok(Json(halls.into_iter().map(HallJson::from).collect()))
}

/// A hall's daily close report over a period: each day in force, totals, superseded
/// revisions — as JSON (default), CSV or XLSX.
#[utoipa::path(get, path = "/api/v1/halls/{code}/days", tag = "channels",
    params(("code" = String, Path, description = "hall code"), StatementQuery),
    responses((status = 200, body = HallReportJson), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn hall_days(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<StatementQuery>,
) -> ApiResult<Response> {
    let report = state
        .app
        .hall_report(caller.principal()?, &code, &q.from, &q.to)?;
    match q.format.as_deref().unwrap_or("json") {
        "json" => Ok(Json(HallReportJson::from(report)).into_response()),
        other => {
            let (format, mime, ext) = file_format(other)?;
            let name = format!("hall-{}-{}-{}", report.hall.code, report.from, report.to);
            let bytes = fucai_app::export_hall_report(&report, format)?;
            Ok(download((mime, ext), &name, bytes).into_response())
        }
    }
}

/// Correct a day's close: the revision in force is reversed in the ledger and the new one
/// posted; both stay visible.
#[utoipa::path(post, path = "/api/v1/halls/{code}/days/{date}/correction", tag = "channels",
    params(("code" = String, Path, description = "hall code"), ("date" = String, Path, description = "YYYY-MM-DD")),
    request_body = HallDayBody,
    responses((status = 200, body = HallDayJson), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn correct_hall_day(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath((code, date)): ApiPath<(String, String)>,
    ApiJson(b): ApiJson<HallDayBody>,
) -> ApiResult<Json<HallDayJson>> {
    let close = HallDayInput {
        hall: code,
        date,
        wagered: money("wagered", &b.wagered)?,
        prizes: money("prizes", &b.prizes)?,
        top_ups: money("top_ups", &b.top_ups)?,
        cash_outs: money("cash_outs", &b.cash_outs)?,
        card_balance: money("card_balance", &b.card_balance)?,
        terminals_online: b.terminals_online,
    };
    let row = state
        .app
        .correct_hall_day(caller.principal()?, close)
        .await?;
    Ok(Json(row.into()))
}

/// Sales of a period by channel (电脑票, 即开票, 中福在线), from the ledger.
#[utoipa::path(get, path = "/api/v1/reports/sales-by-channel", tag = "channels",
    params(PeriodQuery),
    responses((status = 200, body = ChannelSalesJson), (status = 400, body = ErrorBody)),
    security(("session" = [])))]
pub async fn sales_by_channel(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> ApiResult<Json<ChannelSalesJson>> {
    let sales = state
        .app
        .sales_by_channel(caller.principal()?, &q.from, &q.to)?;
    Ok(Json(sales.into()))
}

/// Sales over a period by any of channel, game, station, town, day, month and year, each
/// group beside the same period a year earlier — as JSON (default), CSV or XLSX.
#[utoipa::path(get, path = "/api/v1/reports/sales", tag = "channels", params(SalesReportQuery),
    responses((status = 200, body = SalesReportJson), (status = 400, body = ErrorBody)),
    security(("session" = [])))]
pub async fn sales_report(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<SalesReportQuery>,
) -> ApiResult<Response> {
    let by = SalesDimension::parse_list(q.by.as_deref().unwrap_or(""))?;
    let report = state
        .app
        .sales_report(caller.principal()?, &q.from, &q.to, &by)?;
    match q.format.as_deref().unwrap_or("json") {
        "json" => Ok(Json(SalesReportJson::from(report)).into_response()),
        other => {
            let (format, mime, ext) = file_format(other)?;
            let name = format!("sales-{}-{}", report.from, report.to);
            let bytes = fucai_app::export_sales_report(&report, format)?;
            Ok(download((mime, ext), &name, bytes).into_response())
        }
    }
}

/// The period's summary paragraph and its figures (sales by channel, welfare fund raised,
/// training, grants, cumulative), every figure from the ledger and the registers.
#[utoipa::path(get, path = "/api/v1/reports/summary", tag = "channels", params(PeriodQuery),
    responses((status = 200, body = SummaryJson), (status = 400, body = ErrorBody)),
    security(("session" = [])))]
pub async fn summary(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> ApiResult<Json<SummaryJson>> {
    let s = state.app.summary(caller.principal()?, &q.from, &q.to)?;
    Ok(Json(s.into()))
}

pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/halls", get(halls))
        .route("/api/v1/halls/{code}/days", get(hall_days))
        .route(
            "/api/v1/halls/{code}/days/{date}/correction",
            post(correct_hall_day),
        )
        .route("/api/v1/reports/sales-by-channel", get(sales_by_channel))
        .route("/api/v1/reports/sales", get(sales_report))
        .route("/api/v1/reports/summary", get(summary))
}
