//! The staff console: server-rendered pages under `/console`, in Chinese, on the same use
//! cases, accounts and session cookie as the JSON API. Every page checks its own access (a
//! forbidden page is a Chinese 403 page); every form carries the session's CSRF token, shows
//! the use case's own message beside the field it names, and redirects after a success
//! (post/redirect/get). Irreversible steps (seal, settle, pay, approve, expire) go through a
//! confirmation page that shows what will happen first.

mod assets;
mod audit;
mod claims;
mod draws;
mod finance;
mod home;
mod imports;
mod network;
mod news;
mod registers;
mod render;
mod session;
mod staff;
pub(crate) mod views;
mod welfare;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

pub(crate) use assets::asset;
pub(crate) use render::Failure;
pub use render::{menu_hrefs, render_dashboard_for_bench};
pub(crate) use staff::{Staff, StaffForm};

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/console", get(home::home))
        .route(
            "/console/login",
            get(session::login_page).post(session::login),
        )
        .route("/console/logout", post(session::logout))
        .route("/console/assets/{name}", get(assets::asset))
        .route("/console/reports/summary", get(home::summary))
        .route("/console/reports/sales", get(home::sales_report))
        .route("/console/stations", get(registers::stations))
        .route("/console/stations/{code}", get(registers::station))
        .route("/console/registers", get(registers::registers))
        .route(
            "/console/imports",
            get(imports::form)
                .post(imports::upload)
                .layer(axum::extract::DefaultBodyLimit::max(
                    imports::MAX_UPLOAD_BYTES,
                )),
        )
        .route("/console/tickets", get(claims::ticket_lookup))
        .route("/console/claims", get(claims::claim_page))
        .route("/console/claims/confirm", post(claims::confirm))
        .route("/console/claims/pay", post(claims::pay))
        .route("/console/draws", get(draws::calendar))
        .route("/console/draws/{game}/{number}", get(draws::draw))
        .route(
            "/console/draws/{game}/{number}/{action}",
            get(draws::confirm_page).post(draws::act),
        )
        .route(
            "/console/draws/{game}/{number}/result",
            post(draws::enter_result),
        )
        .route(
            "/console/draws/{game}/{number}/verifiable",
            post(draws::verifiable),
        )
        .route("/console/welfare/report", get(welfare::report))
        .route(
            "/console/stations/{code}/statement",
            get(finance::statement),
        )
        .route("/console/stations/{code}/remittances", post(finance::remit))
        .route("/console/network/campaigns", get(network::campaigns))
        .route("/console/network/campaigns/{code}", get(network::campaign))
        .route(
            "/console/welfare/programmes",
            get(welfare::programmes).post(welfare::create_programme),
        )
        .route(
            "/console/welfare/programmes/new",
            get(welfare::programme_form),
        )
        .route(
            "/console/welfare/programmes/{code}/approve",
            get(welfare::programme_confirm).post(welfare::programme_approve),
        )
        .route(
            "/console/welfare/batches/{id}/approve",
            get(welfare::batch_confirm).post(welfare::batch_approve),
        )
        .route(
            "/console/welfare/grants",
            get(welfare::grants).post(welfare::propose),
        )
        .route("/console/welfare/grants/new", get(welfare::propose_form))
        .route(
            "/console/welfare/grants/{id}/{decision}",
            get(welfare::decide_page).post(welfare::decide),
        )
        .route(
            "/console/welfare/beneficiaries",
            get(welfare::beneficiaries),
        )
        .route("/console/network/training", get(network::training))
        .route("/console/network/findings", get(network::findings))
        .route("/console/network/visits", get(network::visits))
        .route("/console/network/activities", get(network::activities))
        .route("/console/channels/instant", get(network::instant_stock))
        .route("/console/channels/halls", get(network::halls))
        .route("/console/finance/balances", get(finance::balances))
        .route("/console/finance/verify", get(finance::verify))
        .route("/console/finance/overdue", get(finance::overdue))
        .route(
            "/console/news",
            get(news::list)
                .post(news::create)
                .layer(axum::extract::DefaultBodyLimit::max(
                    fucai_app::network::MAX_EVIDENCE_BYTES + 64 * 1024,
                )),
        )
        .route("/console/news/new", get(news::new_form))
        .route("/console/news/{id}", get(news::show))
        .route(
            "/console/news/{id}/edit",
            get(news::edit_form)
                .post(news::edit)
                .layer(axum::extract::DefaultBodyLimit::max(
                    fucai_app::network::MAX_EVIDENCE_BYTES + 64 * 1024,
                )),
        )
        .route("/console/news/{id}/preview", get(news::preview))
        .route("/console/news/{id}/image", get(news::image))
        .route(
            "/console/news/{id}/publish",
            get(news::publish_confirm).post(news::publish),
        )
        .route(
            "/console/news/{id}/withdraw",
            get(news::withdraw_confirm).post(news::withdraw),
        )
        .route("/console/audit", get(audit::log))
        .route("/console/audit/verify", get(audit::verify))
}
