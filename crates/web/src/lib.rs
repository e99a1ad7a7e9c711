//! fucai's HTTP edge: the JSON API under `/api/v1`, its OpenAPI document, the public pages
//! and the staff console under `/console`. Only this crate knows HTTP and JSON; handlers are thin: extract,
//! call one `App` use case, convert to wire types.

mod accounts_api;
mod auth;
mod browser_errors;
mod channels_api;
pub mod console;
mod directory_api;
mod draws_api;
mod error;
mod extract;
mod imports_api;
mod inspections_api;
mod instant_api;
mod money_api;
mod network_api;
mod news;
mod openapi;
mod outreach_api;
mod pages;
pub mod policy;
mod portal;
mod registers_api;
mod sales_api;
mod server;
mod templates;
mod training_api;
mod welfare_api;
pub mod wire;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use fucai_app::{App, MAX_IMPORT_BYTES};
use tokio::net::TcpListener;

pub use auth::{CSRF_HEADER, SESSION_COOKIE};
pub use openapi::ApiDoc;
pub use server::{raise_descriptor_limit, ServeOptions};

/// Largest JSON body accepted.
pub const MAX_JSON_BYTES: usize = 64 * 1024;

#[derive(Clone, Debug, Default)]
pub struct WebOptions {
    /// Mark the session cookie Secure (also done per request behind a TLS proxy that sets
    /// X-Forwarded-Proto: https).
    pub secure_cookies: bool,
}

pub struct AppState {
    pub app: Arc<App>,
    pub options: WebOptions,
}

pub fn router(app: Arc<App>, options: WebOptions) -> Router {
    let state = Arc::new(AppState { app, options });
    let uploads = Router::new()
        .route(
            "/api/v1/stations/import",
            post(imports_api::import_stations),
        )
        .route(
            "/api/v1/daily-sales/import",
            post(imports_api::import_daily_sales),
        )
        .route("/api/v1/towns/import", post(imports_api::import_towns))
        .route("/api/v1/centers/import", post(imports_api::import_centers))
        .route("/api/v1/users/import", post(directory_api::import_users))
        .route(
            "/api/v1/welfare/beneficiaries/import",
            post(imports_api::import_beneficiaries),
        )
        .route(
            "/api/v1/station-people/import",
            post(imports_api::import_station_people),
        )
        .route("/api/v1/halls/import", post(imports_api::import_halls))
        .route(
            "/api/v1/instant/batches/{game}/{batch}/winners",
            post(instant_api::import_winners),
        )
        .route(
            "/api/v1/hall-days/import",
            post(imports_api::import_hall_days),
        )
        .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES));
    let api = Router::new()
        .route("/healthz", get(accounts_api::healthz))
        .route("/api/v1/openapi.json", get(openapi::openapi_json))
        .route(
            "/api/v1/session",
            post(accounts_api::login)
                .get(accounts_api::me)
                .delete(accounts_api::logout),
        )
        .route("/api/v1/users", post(accounts_api::create_user))
        .route("/api/v1/draws", get(sales_api::open_draws))
        .route("/api/v1/draws/schedule", post(sales_api::schedule))
        .route("/api/v1/tickets", post(sales_api::sell))
        .route("/api/v1/tickets/{serial}", get(sales_api::verify))
        .route("/api/v1/tickets/{serial}/cancel", post(sales_api::cancel))
        .route("/api/v1/stations", get(registers_api::stations))
        .route(
            "/api/v1/stations/export",
            get(registers_api::export_stations),
        )
        .route("/api/v1/stations/{code}", get(registers_api::station))
        .route(
            "/api/v1/stations/{code}/tickets",
            get(sales_api::station_tickets),
        )
        .route(
            "/api/v1/stations/{code}/terminals",
            post(registers_api::add_terminal),
        )
        .merge(network_api::routes())
        .merge(training_api::routes())
        .merge(inspections_api::routes())
        .merge(money_api::routes())
        .merge(channels_api::routes())
        .merge(instant_api::routes())
        .merge(outreach_api::routes())
        .route("/api/v1/towns/export", get(registers_api::export_towns))
        .route(
            "/api/v1/terminals/export",
            get(registers_api::export_terminals),
        )
        .route("/api/v1/ledger/balances", get(accounts_api::balances))
        .route("/api/v1/ledger/verify", get(accounts_api::verify_ledger))
        .route("/api/v1/audit/verify", get(accounts_api::verify_audit))
        .route("/api/v1/public/audit-head", get(accounts_api::audit_head))
        .route(
            "/api/v1/welfare/programmes",
            get(welfare_api::programmes).post(welfare_api::create_programme),
        )
        .route(
            "/api/v1/welfare/programmes/{code}/approve",
            post(welfare_api::approve_programme),
        )
        .route(
            "/api/v1/welfare/beneficiaries",
            get(welfare_api::beneficiaries).post(welfare_api::add_beneficiary),
        )
        .route(
            "/api/v1/welfare/grants",
            get(welfare_api::grants).post(welfare_api::propose),
        )
        .route(
            "/api/v1/welfare/grants/{id}/approve",
            post(welfare_api::approve),
        )
        .route(
            "/api/v1/welfare/grants/{id}/reject",
            post(welfare_api::reject),
        )
        .route(
            "/api/v1/welfare/batches/{id}/approve",
            post(welfare_api::approve_batch),
        )
        .route("/api/v1/welfare/report", get(welfare_api::report))
        .route(
            "/api/v1/public/welfare/disclosure",
            get(welfare_api::disclosure),
        )
        .route("/welfare/disclosure", get(pages::disclosure))
        .route("/api/v1/draws/{game}/{number}/seal", post(draws_api::seal))
        .route(
            "/api/v1/draws/{game}/{number}/commitment",
            post(draws_api::commit),
        )
        .route(
            "/api/v1/draws/{game}/{number}/result",
            post(draws_api::enter_result),
        )
        .route(
            "/api/v1/draws/{game}/{number}/verifiable-draw",
            post(draws_api::verifiable_draw),
        )
        .route(
            "/api/v1/draws/{game}/{number}/settle",
            post(draws_api::settle),
        )
        .route(
            "/api/v1/draws/{game}/{number}/expire",
            post(draws_api::expire),
        )
        .route("/api/v1/public/draws/{game}/{number}", get(draws_api::info))
        .route(
            "/api/v1/public/draws/{game}/{number}/sealed.parquet",
            get(draws_api::sealed_file),
        )
        .route(
            "/api/v1/public/draws/{game}/{number}/transcript",
            get(draws_api::transcript),
        )
        .route(
            "/api/v1/public/draws/{game}/{number}/announcement",
            get(draws_api::announcement),
        )
        .route("/draws/{game}/{number}", get(pages::announcement))
        .route("/draws", get(pages::results))
        .route("/", get(pages::home))
        .route("/check", get(pages::check))
        .route("/stations", get(pages::stations))
        .route("/instant", get(pages::instant))
        .route("/api/v1/public/results", get(draws_api::results))
        .route("/api/v1/claims", post(draws_api::claim))
        .route(
            "/api/v1/tickets/{serial}/prizes",
            get(draws_api::ticket_prizes),
        )
        .route("/api/v1/centers/export", get(directory_api::export_centers))
        .route("/api/v1/users/export", get(directory_api::export_users))
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES));
    api.merge(uploads)
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::authorize,
        ))
        // The console checks its own sessions, CSRF tokens and access page by page.
        .merge(console::routes())
        .merge(portal::routes())
        .merge(news::routes())
        .fallback(|| async {
            error::ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "not_found",
                "no such route",
            )
        })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            browser_errors::pages_for_browsers,
        ))
        .with_state(state)
}

/// Serves until the future is dropped, with the default connection limits.
pub async fn serve(
    app: Arc<App>,
    listener: TcpListener,
    options: WebOptions,
) -> std::io::Result<()> {
    serve_with(app, listener, options, ServeOptions::default()).await
}

/// Serves until the future is dropped, with the given connection limits.
pub async fn serve_with(
    app: Arc<App>,
    listener: TcpListener,
    options: WebOptions,
    limits: ServeOptions,
) -> std::io::Result<()> {
    server::serve_router(router(app, options), listener, limits).await
}
