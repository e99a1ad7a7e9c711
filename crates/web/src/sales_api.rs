//! Ticket routes: sell, cancel, verify, list a station's sales; the draw calendar.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use fucai_app::SaleRequest;
use fucai_games::Game;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{page_limit, ApiJson, ApiPath, ApiQuery};
use crate::wire::{CountJson, DrawJson, ScheduleBody, SellBody, TicketJson};
use crate::AppState;

/// Sell a ticket (terminal credentials). 201 for a new sale, 200 when the request_id was
/// already sold with the same body; answered only after the sale is durably committed.
#[utoipa::path(post, path = "/api/v1/tickets", tag = "sales", request_body = SellBody,
    responses((status = 201, body = TicketJson), (status = 200, description = "retry of an earlier sale", body = TicketJson),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, description = "unknown draw", body = ErrorBody),
        (status = 409, description = "request_id reused with another body", body = ErrorBody), (status = 422, description = "sales closed", body = ErrorBody)),
    security(("terminal" = [])))]
pub async fn sell(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<SellBody>,
) -> ApiResult<(StatusCode, Json<TicketJson>)> {
    let request = SaleRequest {
        request_id: body.request_id,
        game: body.game,
        draw: body.draw,
        draws: body.draws.unwrap_or(1),
        multiple: body.multiple.unwrap_or(1),
        selections: body.selections,
    };
    let outcome = state.app.sell(caller.principal()?, request).await?;
    let status = if outcome.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(TicketJson::sold(outcome.ticket, outcome.replayed)),
    ))
}

/// Cancel a ticket: only the terminal that sold it, within the cancel window, before cutoff.
#[utoipa::path(post, path = "/api/v1/tickets/{serial}/cancel", tag = "sales",
    params(("serial" = String, Path, description = "ticket serial")),
    responses((status = 200, body = TicketJson), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("terminal" = [])))]
pub async fn cancel(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(serial): ApiPath<String>,
) -> ApiResult<Json<TicketJson>> {
    let ticket = state.app.cancel(caller.principal()?, &serial).await?;
    Ok(Json(TicketJson::new(ticket)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerifyQuery {
    /// The verification code printed on the ticket.
    pub code: String,
}

/// Look a ticket up by serial and verification code (public: anyone holding the ticket).
#[utoipa::path(get, path = "/api/v1/tickets/{serial}", tag = "sales",
    params(("serial" = String, Path, description = "ticket serial"), VerifyQuery),
    responses((status = 200, body = TicketJson), (status = 404, body = ErrorBody)))]
pub async fn verify(
    State(state): State<Arc<AppState>>,
    ApiPath(serial): ApiPath<String>,
    ApiQuery(q): ApiQuery<VerifyQuery>,
) -> ApiResult<Json<TicketJson>> {
    Ok(Json(TicketJson::new(
        state.app.verify_ticket(&serial, &q.code)?,
    )))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// At most this many (1–500, default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<usize>,
}

/// A station's tickets, newest first (station roles: own station only).
#[utoipa::path(get, path = "/api/v1/stations/{code}/tickets", tag = "sales",
    params(("code" = String, Path, description = "station code"), ListQuery),
    responses((status = 200, body = Vec<TicketJson>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn station_tickets(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<TicketJson>>> {
    let tickets = state.app.station_sales(
        caller.principal()?,
        &code,
        page_limit(q.limit, 100, 500)?,
        None,
    )?;
    Ok(Json(tickets.into_iter().map(TicketJson::new).collect()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DrawsQuery {
    /// Only this game.
    pub game: Option<String>,
    /// At most this many (1–200, default 20).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
}

/// Draws whose sales have not closed yet, soonest first.
#[utoipa::path(get, path = "/api/v1/draws", tag = "draws", params(DrawsQuery),
    responses((status = 200, body = Vec<DrawJson>), (status = 400, body = ErrorBody)))]
pub async fn open_draws(
    State(state): State<Arc<AppState>>,
    ApiQuery(q): ApiQuery<DrawsQuery>,
) -> ApiResult<Json<Vec<DrawJson>>> {
    let game = q
        .game
        .map(|g| g.parse::<Game>())
        .transpose()
        .map_err(|e| ApiError::invalid("game", e.to_string()))?;
    let draws = state
        .app
        .open_draws(game, fucai_app::now_ms(), page_limit(q.limit, 20, 200)?)?;
    Ok(Json(draws.into_iter().map(DrawJson::from).collect()))
}

/// Add a game's draws between two dates to the calendar.
#[utoipa::path(post, path = "/api/v1/draws/schedule", tag = "draws", request_body = ScheduleBody,
    responses((status = 200, body = CountJson), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn schedule(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<ScheduleBody>,
) -> ApiResult<Json<CountJson>> {
    let game: Game = body
        .game
        .parse()
        .map_err(|e: fucai_games::UnknownGame| ApiError::invalid("game", e.to_string()))?;
    let date = |field: &str, v: &str| {
        chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map_err(|_| ApiError::invalid(field, format!("'{v}' is not a date (YYYY-MM-DD)")))
    };
    let (from, to) = (date("from", &body.from)?, date("to", &body.to)?);
    let added = state
        .app
        .schedule(caller.principal()?, game, from, to)
        .await?;
    Ok(Json(CountJson { added }))
}
