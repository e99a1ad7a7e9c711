//! Station network routes: station moves and history, terminals, station people, account
//! administration and the public station finder.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use fucai_app::network::{StationMove, StationPersonInput};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::registers_api::{export, ExportQuery};
use crate::wire::{
    CloseStationBody, DoneJson, LeaveBody, PasswordResetJson, PublicStationJson, ReasonBody,
    RoleBody, StationEventJson, StationJson, StationPeopleFilter, StationPersonBody,
    StationPersonJson, TerminalSecretJson, TownFilter,
};
use crate::AppState;

async fn move_station(
    state: &AppState,
    caller: &Caller,
    code: &str,
    change: StationMove,
) -> ApiResult<Json<StationJson>> {
    Ok(Json(
        state
            .app
            .move_station(caller.principal()?, code, change)
            .await?
            .into(),
    ))
}

/// Suspend a station: its sales are refused until it reopens.
#[utoipa::path(post, path = "/api/v1/stations/{code}/suspend", tag = "network", params(("code" = String, Path, description = "station code")),
    request_body = ReasonBody, responses((status = 200, body = StationJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn suspend_station(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> ApiResult<Json<StationJson>> {
    move_station(
        &state,
        &caller,
        &code,
        StationMove::Suspend { reason: b.reason },
    )
    .await
}

/// Reopen a suspended station.
#[utoipa::path(post, path = "/api/v1/stations/{code}/reopen", tag = "network", params(("code" = String, Path, description = "station code")),
    request_body = ReasonBody, responses((status = 200, body = StationJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn reopen_station(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> ApiResult<Json<StationJson>> {
    move_station(
        &state,
        &caller,
        &code,
        StationMove::Reopen { reason: b.reason },
    )
    .await
}

/// Close a station for good on a date; its terminals are disabled.
#[utoipa::path(post, path = "/api/v1/stations/{code}/close", tag = "network", params(("code" = String, Path, description = "station code")),
    request_body = CloseStationBody, responses((status = 200, body = StationJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn close_station(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
    ApiJson(b): ApiJson<CloseStationBody>,
) -> ApiResult<Json<StationJson>> {
    let change = StationMove::Close {
        on: b.on,
        reason: b.reason,
    };
    move_station(&state, &caller, &code, change).await
}

/// Every move of a station's status (station roles: their own station).
#[utoipa::path(get, path = "/api/v1/stations/{code}/history", tag = "network", params(("code" = String, Path, description = "station code")),
    responses((status = 200, body = Vec<StationEventJson>), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn station_history(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<Vec<StationEventJson>>> {
    let events = state.app.station_history(caller.principal()?, &code)?;
    Ok(Json(
        events.into_iter().map(StationEventJson::from).collect(),
    ))
}

async fn set_terminal(
    state: &AppState,
    caller: &Caller,
    code: &str,
    enabled: bool,
) -> ApiResult<Json<DoneJson>> {
    state
        .app
        .set_terminal_enabled(caller.principal()?, code, enabled)
        .await?;
    Ok(Json(DoneJson { ok: true }))
}

/// Disable a terminal: its requests are refused at once.
#[utoipa::path(post, path = "/api/v1/terminals/{code}/disable", tag = "network", params(("code" = String, Path, description = "terminal code")),
    responses((status = 200, body = DoneJson), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn disable_terminal(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<DoneJson>> {
    set_terminal(&state, &caller, &code, false).await
}

/// Enable a disabled terminal (not at a closed station).
#[utoipa::path(post, path = "/api/v1/terminals/{code}/enable", tag = "network", params(("code" = String, Path, description = "terminal code")),
    responses((status = 200, body = DoneJson), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = [])))]
pub async fn enable_terminal(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<DoneJson>> {
    set_terminal(&state, &caller, &code, true).await
}

/// Replace a terminal's credentials: the new secret is shown once, the old one refused.
#[utoipa::path(post, path = "/api/v1/terminals/{code}/replace", tag = "network", params(("code" = String, Path, description = "terminal code")),
    responses((status = 200, body = TerminalSecretJson), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn replace_terminal(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<TerminalSecretJson>> {
    let secret = state
        .app
        .replace_terminal(caller.principal()?, &code)
        .await?;
    Ok(Json(TerminalSecretJson { code, secret }))
}

/// The people of the stations (station roles: their own station's, with `station`).
#[utoipa::path(get, path = "/api/v1/station-people", tag = "network", params(StationPeopleFilter),
    responses((status = 200, body = Vec<StationPersonJson>), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn station_people(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<StationPeopleFilter>,
) -> ApiResult<Json<Vec<StationPersonJson>>> {
    let people = state
        .app
        .station_people(caller.principal()?, q.station.as_deref())?;
    Ok(Json(
        people.into_iter().map(StationPersonJson::from).collect(),
    ))
}

/// Add a person (owner or clerk) to a station's register.
#[utoipa::path(post, path = "/api/v1/station-people", tag = "network", request_body = StationPersonBody,
    responses((status = 201, body = StationPersonJson), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn add_station_person(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<StationPersonBody>,
) -> ApiResult<(StatusCode, Json<StationPersonJson>)> {
    let input = StationPersonInput {
        station: b.station,
        role: b.role,
        name: b.name,
        phone: b.phone,
        id_number: b.id_number,
        from_on: b.from_on,
        to_on: b.to_on,
        certificates: b.certificates,
    };
    let person = state
        .app
        .add_station_person(caller.principal()?, input)
        .await?;
    Ok((StatusCode::CREATED, Json(person.into())))
}

/// Record that a person left their station.
#[utoipa::path(post, path = "/api/v1/station-people/{id}/leave", tag = "network", params(("id" = i64, Path, description = "person id")),
    request_body = LeaveBody, responses((status = 200, body = StationPersonJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn station_person_leaves(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<LeaveBody>,
) -> ApiResult<Json<StationPersonJson>> {
    let person = state
        .app
        .end_station_person(caller.principal()?, id, &b.to_on)
        .await?;
    Ok(Json(person.into()))
}

/// Export the station people (身份证号 masked) as CSV or XLSX.
#[utoipa::path(get, path = "/api/v1/station-people/export", tag = "network", params(ExportQuery),
    responses((status = 200, description = "the file", content_type = "text/csv", body = String), (status = 400, body = ErrorBody)), security(("session" = [])))]
pub async fn export_station_people(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<impl IntoResponse> {
    let who = caller.principal()?;
    export(&q, "station_people", |format| {
        state.app.export_station_people(who, format)
    })
}

/// Deactivate an account: sign-in refused and its sessions ended at once.
#[utoipa::path(post, path = "/api/v1/users/{username}/deactivate", tag = "accounts", params(("username" = String, Path, description = "username")),
    responses((status = 200, body = DoneJson), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = [])))]
pub async fn deactivate_user(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(username): ApiPath<String>,
) -> ApiResult<Json<DoneJson>> {
    state
        .app
        .set_user_active(caller.principal()?, &username, false)
        .await?;
    Ok(Json(DoneJson { ok: true }))
}

/// Reactivate an account.
#[utoipa::path(post, path = "/api/v1/users/{username}/activate", tag = "accounts", params(("username" = String, Path, description = "username")),
    responses((status = 200, body = DoneJson), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn activate_user(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(username): ApiPath<String>,
) -> ApiResult<Json<DoneJson>> {
    state
        .app
        .set_user_active(caller.principal()?, &username, true)
        .await?;
    Ok(Json(DoneJson { ok: true }))
}

/// Reset an account's password: a new first password, shown once; its sessions end.
#[utoipa::path(post, path = "/api/v1/users/{username}/reset-password", tag = "accounts", params(("username" = String, Path, description = "username")),
    responses((status = 200, body = PasswordResetJson), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn reset_password(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(username): ApiPath<String>,
) -> ApiResult<Json<PasswordResetJson>> {
    let password = state
        .app
        .reset_password(caller.principal()?, &username)
        .await?;
    Ok(Json(PasswordResetJson { username, password }))
}

/// Change an account's role (a station role with its station); its sessions end.
#[utoipa::path(post, path = "/api/v1/users/{username}/role", tag = "accounts", params(("username" = String, Path, description = "username")),
    request_body = RoleBody, responses((status = 200, body = DoneJson), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn change_role(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    ApiPath(username): ApiPath<String>,
    ApiJson(b): ApiJson<RoleBody>,
) -> ApiResult<Json<DoneJson>> {
    state
        .app
        .change_role(
            caller.principal()?,
            &username,
            &b.role,
            b.station.as_deref(),
        )
        .await?;
    Ok(Json(DoneJson { ok: true }))
}

/// The public station finder: stations not closed, with whether each is open and what it sells.
#[utoipa::path(get, path = "/api/v1/public/stations", tag = "public", params(TownFilter),
    responses((status = 200, body = Vec<PublicStationJson>)))]
pub async fn public_stations(
    State(state): State<Arc<AppState>>,
    ApiQuery(q): ApiQuery<TownFilter>,
) -> ApiResult<Json<Vec<PublicStationJson>>> {
    let stations = state.app.public_stations(q.town.as_deref())?;
    Ok(Json(
        stations.into_iter().map(PublicStationJson::from).collect(),
    ))
}

/// The network's routes (the access table in `policy.rs` lists each).
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/stations/{code}/suspend", post(suspend_station))
        .route("/api/v1/stations/{code}/reopen", post(reopen_station))
        .route("/api/v1/stations/{code}/close", post(close_station))
        .route("/api/v1/stations/{code}/history", get(station_history))
        .route("/api/v1/terminals/{code}/disable", post(disable_terminal))
        .route("/api/v1/terminals/{code}/enable", post(enable_terminal))
        .route("/api/v1/terminals/{code}/replace", post(replace_terminal))
        .route(
            "/api/v1/station-people",
            get(station_people).post(add_station_person),
        )
        .route(
            "/api/v1/station-people/{id}/leave",
            post(station_person_leaves),
        )
        .route("/api/v1/station-people/export", get(export_station_people))
        .route("/api/v1/users/{username}/deactivate", post(deactivate_user))
        .route("/api/v1/users/{username}/activate", post(activate_user))
        .route(
            "/api/v1/users/{username}/reset-password",
            post(reset_password),
        )
        .route("/api/v1/users/{username}/role", post(change_role))
        .route("/api/v1/public/stations", get(public_stations))
}
