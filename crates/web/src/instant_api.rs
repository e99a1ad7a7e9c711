//! 即开票 routes: a batch's winner file, pack scans, a pack's moves, stock, claims, a
//! station's claim scope, and the public list of winner-file hashes and prizes left.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use fucai_app::instant::{InstantClaimRequest, PackAction, PackScan};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Upload};
use crate::registers_api::{download, file_format};
use crate::wire::{
    BatchPrizesJson, ClaimScopeBody, ClaimScopeJson, InstantBatchJson, InstantClaimBody,
    InstantClaimJson, InstantStockJson, OrderBody, OrderJson, PackJson, PackMoveBody, PackMoveJson,
    PackSalesJson, StatementQuery,
};
use crate::AppState;

/// Import a batch's winner file from the printer (CSV: pack, ticket, code, prize in 元),
/// before the batch goes on sale; its SHA-256 is published.
#[utoipa::path(post, path = "/api/v1/instant/batches/{game}/{batch}/winners", tag = "instant",
    params(("game" = String, Path, description = "game plan code"), ("batch" = String, Path, description = "batch number")),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "the winner file"),
    responses((status = 201, body = InstantBatchJson), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = [])))]
pub async fn import_winners(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath((game, batch)): ApiPath<(String, String)>,
    Upload(body): Upload,
) -> ApiResult<(StatusCode, Json<InstantBatchJson>)> {
    let row = state
        .app
        .import_winner_file(caller.principal()?, &game, &batch, &body)
        .await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Scan packs: receive, issue (to `station`), confirm, activate, settle, return, hold,
/// release or block — all the scanned packs or none.
#[utoipa::path(post, path = "/api/v1/instant/scans/{action}", tag = "instant",
    params(("action" = String, Path, description = "receive, issue, confirm, activate, settle, return, hold, release or block")),
    request_body = PackMoveBody,
    responses((status = 200, body = PackMoveJson), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("terminal" = [])))]
pub async fn move_packs(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(action): ApiPath<String>,
    ApiJson(b): ApiJson<PackMoveBody>,
) -> ApiResult<Json<PackMoveJson>> {
    let action: PackAction = serde_json::from_value(serde_json::Value::String(action.clone()))
        .map_err(|_| {
            ApiError::invalid(
                "action",
                format!("'{action}': receive, issue, confirm, activate, settle, return, hold, release or block"),
            )
        })?;
    let scan = PackScan {
        action: Some(action),
        packs: b.packs,
        station: b.station,
        order: b.order,
        note: b.note,
    };
    let report = state.app.move_packs(caller.principal()?, scan).await?;
    Ok(Json(report.into()))
}

/// A station orders packs of a game (订票).
#[utoipa::path(post, path = "/api/v1/instant/orders", tag = "instant", request_body = OrderBody,
    responses((status = 201, body = OrderJson), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = []), ("terminal" = [])))]
pub async fn order(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<OrderBody>,
) -> ApiResult<(StatusCode, Json<OrderJson>)> {
    let row = state
        .app
        .order_packs(caller.principal()?, &b.station, &b.game, b.packs, &b.note)
        .await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Every order, with the packs issued against it.
#[utoipa::path(get, path = "/api/v1/instant/orders", tag = "instant",
    responses((status = 200, body = Vec<OrderJson>)), security(("session" = [])))]
pub async fn orders(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<Vec<OrderJson>>> {
    let rows = state.app.instant_orders(caller.principal()?)?;
    Ok(Json(rows.into_iter().map(OrderJson::from).collect()))
}

/// Sales recognised over a period by station, game and day, as JSON (default), CSV or XLSX.
#[utoipa::path(get, path = "/api/v1/instant/sales", tag = "instant", params(StatementQuery),
    responses((status = 200, body = Vec<PackSalesJson>), (status = 400, body = ErrorBody)),
    security(("session" = [])))]
pub async fn sales(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<StatementQuery>,
) -> ApiResult<Response> {
    let rows = state
        .app
        .instant_sales(caller.principal()?, &q.from, &q.to)?;
    match q.format.as_deref().unwrap_or("json") {
        "json" => Ok(Json(
            rows.into_iter()
                .map(PackSalesJson::from)
                .collect::<Vec<_>>(),
        )
        .into_response()),
        other => {
            let (format, mime, ext) = file_format(other)?;
            let bytes = fucai_app::instant::export_instant_sales(&rows, format)?;
            Ok(download(
                (mime, ext),
                &format!("instant-sales-{}-{}", q.from, q.to),
                bytes,
            )
            .into_response())
        }
    }
}

/// A pack where it is now, and every move it made.
#[utoipa::path(get, path = "/api/v1/instant/packs/{label}", tag = "instant",
    params(("label" = String, Path, description = "GAME-BATCH-PACK")),
    responses((status = 200, body = PackJson), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn pack(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(label): ApiPath<String>,
) -> ApiResult<Json<PackJson>> {
    let (pack, moves) = state.app.instant_pack(caller.principal()?, &label)?;
    Ok(Json(PackJson::new(pack, moves)))
}

/// Packs by holder, game and state, checked against their recorded moves.
#[utoipa::path(get, path = "/api/v1/instant/stock", tag = "instant",
    responses((status = 200, body = InstantStockJson)), security(("session" = [])))]
pub async fn stock(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<InstantStockJson>> {
    Ok(Json(state.app.instant_stock(caller.principal()?)?.into()))
}

/// Pay an instant ticket: at a station (its terminal) or at the district center.
#[utoipa::path(post, path = "/api/v1/instant/claims", tag = "instant", request_body = InstantClaimBody,
    responses((status = 200, body = InstantClaimJson), (status = 400, body = ErrorBody), (status = 409, description = "already paid", body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("terminal" = [])))]
pub async fn claim(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<InstantClaimBody>,
) -> ApiResult<Json<InstantClaimJson>> {
    let req = InstantClaimRequest {
        ticket: b.ticket,
        code: b.code,
        claimant_id: b.claimant_id,
    };
    Ok(Json(
        state
            .app
            .claim_instant(caller.principal()?, req)
            .await?
            .into(),
    ))
}

/// Set which instant tickets a station pays: own, area or center.
#[utoipa::path(post, path = "/api/v1/stations/{code}/instant-claim-scope", tag = "instant",
    params(("code" = String, Path, description = "station code")), request_body = ClaimScopeBody,
    responses((status = 200, body = ClaimScopeJson), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn set_claim_scope(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
    ApiJson(b): ApiJson<ClaimScopeBody>,
) -> ApiResult<Json<ClaimScopeJson>> {
    let scope = state
        .app
        .set_claim_scope(caller.principal()?, &code, &b.scope)
        .await?;
    Ok(Json(ClaimScopeJson {
        station: code,
        scope: scope.as_str().into(),
    }))
}

/// Every imported batch: its winner file's SHA-256 and the prizes left, per game.
#[utoipa::path(get, path = "/api/v1/public/instant/prizes", tag = "public",
    responses((status = 200, body = Vec<BatchPrizesJson>)))]
pub async fn prizes(State(state): State<Arc<AppState>>) -> ApiResult<Json<Vec<BatchPrizesJson>>> {
    Ok(Json(
        state
            .app
            .instant_prizes()?
            .into_iter()
            .map(BatchPrizesJson::from)
            .collect(),
    ))
}

pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/instant/scans/{action}", post(move_packs))
        .route("/api/v1/instant/packs/{label}", get(pack))
        .route("/api/v1/instant/stock", get(stock))
        .route("/api/v1/instant/orders", post(order).get(orders))
        .route("/api/v1/instant/sales", get(sales))
        .route("/api/v1/instant/claims", post(claim))
        .route(
            "/api/v1/stations/{code}/instant-claim-scope",
            post(set_claim_scope),
        )
        .route("/api/v1/public/instant/prizes", get(prizes))
}
