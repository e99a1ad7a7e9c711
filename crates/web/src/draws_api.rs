//! Draw routes after the cutoff — seal, commitment, result entry, verifiable draw, settle,
//! expire — the public facts, sealed file, transcript and 开奖公告, and prize claims.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::{Extension, Json};
use fucai_app::{BeaconInput, ClaimRequest, ResultEntry};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{page_limit, ApiJson, ApiPath, ApiQuery};
use crate::wire::{
    AnnouncementJson, ClaimReceiptJson, CommitmentJson, DrawInfoJson, ResultEntryJson, ResultJson,
    SealJson, TicketPrizeJson, TranscriptJson,
};
use crate::AppState;

type DrawPath = ApiPath<(String, String)>;

/// Seal a draw whose sales have closed (also done by the scheduler at cutoff).
#[utoipa::path(post, path = "/api/v1/draws/{game}/{number}/seal", tag = "draws",
    params(("game" = String, Path, description = "ssq, fc3d, qlc or kl8"), ("number" = String, Path, description = "期号")),
    responses((status = 200, description = "the seal: rows, bets, amount, SHA-256", body = SealJson), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn seal(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath((game, number)): DrawPath,
) -> ApiResult<Json<SealJson>> {
    Ok(Json(
        state
            .app
            .seal_draw(caller.principal()?, &game, &number)
            .await?
            .into(),
    ))
}

/// Commit to a secret and to a future drand quicknet round for fucai's verifiable draw
/// (before the cutoff); answers both, public from now on.
#[utoipa::path(post, path = "/api/v1/draws/{game}/{number}/commitment", tag = "draws",
    params(("game" = String, Path, description = "game"), ("number" = String, Path, description = "期号")),
    responses((status = 201, body = CommitmentJson), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn commit(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath((game, number)): DrawPath,
) -> ApiResult<(StatusCode, Json<CommitmentJson>)> {
    let commitment = state
        .app
        .commit_draw(caller.principal()?, &game, &number)
        .await?;
    Ok((StatusCode::CREATED, Json(commitment.into())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultBody {
    /// The winning numbers in the selection syntax, e.g. "01 02 03 04 05 06 + 07".
    pub numbers: String,
}

/// Enter the official result: the first entry waits (202); a second person's identical entry
/// records it (200); a different second entry records nothing (409).
#[utoipa::path(post, path = "/api/v1/draws/{game}/{number}/result", tag = "draws", request_body = ResultBody,
    params(("game" = String, Path, description = "game"), ("number" = String, Path, description = "期号")),
    responses((status = 202, description = "first entry stored", body = ResultEntryJson), (status = 200, description = "result recorded", body = ResultEntryJson),
        (status = 400, body = ErrorBody), (status = 409, description = "entries differ or same person", body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn enter_result(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath((game, number)): DrawPath,
    ApiJson(body): ApiJson<ResultBody>,
) -> ApiResult<(StatusCode, Json<ResultEntryJson>)> {
    let outcome = state
        .app
        .enter_result(caller.principal()?, &game, &number, &body.numbers)
        .await?;
    match outcome {
        ResultEntry::AwaitingSecond => Ok((StatusCode::ACCEPTED, Json(outcome.into()))),
        ResultEntry::Recorded { .. } => Ok((StatusCode::OK, Json(outcome.into()))),
        ResultEntry::Mismatch => Err(ApiError::new(
            StatusCode::CONFLICT,
            "mismatch",
            "the second entry differs from the first: nothing was recorded; both must be entered again",
        )),
    }
}

/// The committed drand round's signature (or, for a commitment made before draws named a
/// round, the operator's beacon text).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BeaconBody {
    /// The committed quicknet round's BLS signature, hex (from any drand relay:
    /// `https://api.drand.sh/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971/public/{round}`).
    pub signature: Option<String>,
    /// The round the signature is for; must be the committed one when given.
    pub round: Option<u64>,
    /// Old commitments only: the public value typed by the operator.
    pub beacon: Option<String>,
}

impl BeaconBody {
    fn into_input(self) -> Result<BeaconInput, ApiError> {
        match (self.signature, self.beacon) {
            (Some(signature), None) => Ok(BeaconInput::Drand {
                round: self.round,
                signature,
            }),
            (None, Some(text)) if self.round.is_none() => Ok(BeaconInput::Operator(text)),
            _ => Err(ApiError::invalid(
                "signature",
                "give the committed drand round's signature (and, if you like, its round)",
            )),
        }
    }
}

/// Run fucai's verifiable draw with the committed drand round's signature; answers the
/// transcript. A wrong round, a bad signature or another network's beacon is refused (400)
/// with nothing written.
#[utoipa::path(post, path = "/api/v1/draws/{game}/{number}/verifiable-draw", tag = "draws", request_body = BeaconBody,
    params(("game" = String, Path, description = "game"), ("number" = String, Path, description = "期号")),
    responses((status = 200, description = "the transcript", body = TranscriptJson), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn verifiable_draw(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath((game, number)): DrawPath,
    ApiJson(body): ApiJson<BeaconBody>,
) -> ApiResult<Json<TranscriptJson>> {
    Ok(Json(
        state
            .app
            .verifiable_draw(caller.principal()?, &game, &number, body.into_input()?)
            .await?
            .into(),
    ))
}

/// Settle a resulted draw; answers the 开奖公告.
#[utoipa::path(post, path = "/api/v1/draws/{game}/{number}/settle", tag = "draws",
    params(("game" = String, Path, description = "game"), ("number" = String, Path, description = "期号")),
    responses((status = 200, description = "the announcement", body = AnnouncementJson), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn settle(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath((game, number)): DrawPath,
) -> ApiResult<Json<AnnouncementJson>> {
    Ok(Json(
        state
            .app
            .settle_draw(caller.principal()?, &game, &number)
            .await?
            .into(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ExpiryJson {
    pub prizes: i64,
    pub amount_fen: i64,
}

/// Move a draw's unclaimed prizes to the welfare fund after its claim period (server date).
#[utoipa::path(post, path = "/api/v1/draws/{game}/{number}/expire", tag = "draws",
    params(("game" = String, Path, description = "game"), ("number" = String, Path, description = "期号")),
    responses((status = 200, body = ExpiryJson), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn expire(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath((game, number)): DrawPath,
) -> ApiResult<Json<ExpiryJson>> {
    let today = fucai_app::beijing_date(fucai_app::now_ms());
    let (prizes, amount) = state
        .app
        .expire_draw(caller.principal()?, &game, &number, today)
        .await?;
    Ok(Json(ExpiryJson {
        prizes,
        amount_fen: amount.fen(),
    }))
}

/// A draw's public facts: status, seal (published before any result), commitment, result.
#[utoipa::path(get, path = "/api/v1/public/draws/{game}/{number}", tag = "public",
    params(("game" = String, Path, description = "game"), ("number" = String, Path, description = "期号")),
    responses((status = 200, description = "the draw", body = DrawInfoJson), (status = 404, body = ErrorBody)))]
pub async fn info(
    State(state): State<Arc<AppState>>,
    ApiPath((game, number)): DrawPath,
) -> ApiResult<Json<DrawInfoJson>> {
    Ok(Json(state.app.draw_info(&game, &number)?.into()))
}

/// The sealed Parquet file of a draw, for anyone to hash and re-settle.
#[utoipa::path(get, path = "/api/v1/public/draws/{game}/{number}/sealed.parquet", tag = "public",
    params(("game" = String, Path, description = "game"), ("number" = String, Path, description = "期号")),
    responses((status = 200, description = "the file", content_type = "application/vnd.apache.parquet", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn sealed_file(
    State(state): State<Arc<AppState>>,
    ApiPath((game, number)): DrawPath,
) -> ApiResult<impl IntoResponse> {
    let path = state.app.sealed_file_path(&game, &number)?;
    let bytes = tokio::fs::read(&path).await.map_err(|e| {
        ApiError::from(fucai_app::AppError::internal(format!(
            "{}: {e}",
            path.display()
        )))
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.apache.parquet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    ))
}

/// The transcript of a verifiable draw (recompute it with `fucai draw verify-transcript`).
#[utoipa::path(get, path = "/api/v1/public/draws/{game}/{number}/transcript", tag = "public",
    params(("game" = String, Path, description = "game"), ("number" = String, Path, description = "期号")),
    responses((status = 200, description = "the transcript", body = TranscriptJson), (status = 404, body = ErrorBody)))]
pub async fn transcript(
    State(state): State<Arc<AppState>>,
    ApiPath((game, number)): DrawPath,
) -> ApiResult<Json<TranscriptJson>> {
    Ok(Json(state.app.transcript(&game, &number)?.into()))
}

/// 开奖公告 as JSON.
#[utoipa::path(get, path = "/api/v1/public/draws/{game}/{number}/announcement", tag = "public",
    params(("game" = String, Path, description = "game"), ("number" = String, Path, description = "期号")),
    responses((status = 200, description = "the announcement", body = AnnouncementJson), (status = 404, body = ErrorBody)))]
pub async fn announcement(
    State(state): State<Arc<AppState>>,
    ApiPath((game, number)): DrawPath,
) -> ApiResult<Json<AnnouncementJson>> {
    Ok(Json(state.app.announcement(&game, &number)?.into()))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ResultsQuery {
    /// ssq, fc3d, qlc or kl8; every game when absent.
    pub game: Option<String>,
    /// At most this many (1–200, default 30).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
}

/// The latest results (settled draws), newest first.
#[utoipa::path(get, path = "/api/v1/public/results", tag = "public", params(ResultsQuery),
    responses((status = 200, description = "results", body = Vec<ResultJson>), (status = 400, body = ErrorBody)))]
pub async fn results(
    State(state): State<Arc<AppState>>,
    ApiQuery(q): ApiQuery<ResultsQuery>,
) -> ApiResult<Json<Vec<ResultJson>>> {
    let results = state
        .app
        .recent_results(q.game.as_deref(), page_limit(q.limit, 30, 200)?)?;
    Ok(Json(results.into_iter().map(ResultJson::from).collect()))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CodeQuery {
    /// The verification code printed on the ticket.
    pub code: String,
}

/// What a ticket won, draw by draw, and whether it is paid (public: anyone holding the ticket).
#[utoipa::path(get, path = "/api/v1/tickets/{serial}/prizes", tag = "public",
    params(("serial" = String, Path, description = "ticket serial"), CodeQuery),
    responses((status = 200, description = "prizes per settled draw", body = Vec<TicketPrizeJson>), (status = 404, body = ErrorBody)))]
pub async fn ticket_prizes(
    State(state): State<Arc<AppState>>,
    ApiPath(serial): ApiPath<String>,
    ApiQuery(q): ApiQuery<CodeQuery>,
) -> ApiResult<Json<Vec<TicketPrizeJson>>> {
    let prizes = state.app.ticket_prizes(&serial, &q.code)?;
    Ok(Json(
        prizes.into_iter().map(TicketPrizeJson::from).collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimBody {
    pub serial: String,
    /// The verification code printed on the ticket.
    pub code: String,
    /// The winner's 身份证号: required above 3,000元.
    pub claimant_id: Option<String>,
}

/// Pay a winning ticket: at a station (terminal credentials, up to the station limit) or at
/// the district center (finance). Paid at most once; tax withheld.
#[utoipa::path(post, path = "/api/v1/claims", tag = "draws", request_body = ClaimBody,
    responses((status = 200, description = "paid", body = ClaimReceiptJson), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "already paid", body = ErrorBody), (status = 422, description = "claim elsewhere, or period ended", body = ErrorBody)),
    security(("terminal" = []), ("session" = [])))]
pub async fn claim(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<ClaimBody>,
) -> ApiResult<Json<ClaimReceiptJson>> {
    let req = ClaimRequest {
        serial: body.serial,
        code: body.code,
        claimant_id: body.claimant_id,
    };
    Ok(Json(
        state.app.claim(caller.principal()?, req).await?.into(),
    ))
}
