//! The OpenAPI 3 document, generated from the handlers' annotations and the wire types.

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{
    accounts_api, directory_api, draws_api, pages, registers_api, sales_api, welfare_api, wire,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "fucai API", description = "福彩 — operations platform of a district welfare-lottery center. Money is integer 分; times are RFC 3339 in Beijing time."),
    paths(
        accounts_api::healthz, accounts_api::login, accounts_api::me, accounts_api::logout, accounts_api::create_user,
        accounts_api::balances, accounts_api::verify_ledger, accounts_api::verify_audit,
        sales_api::sell, sales_api::cancel, sales_api::verify, sales_api::station_tickets, sales_api::open_draws, sales_api::schedule,
        registers_api::stations, registers_api::station, registers_api::import_stations, registers_api::export_stations,
        registers_api::add_terminal, registers_api::import_daily_sales, openapi_json,
        registers_api::export_towns, registers_api::import_towns, registers_api::export_terminals,
        welfare_api::programmes, welfare_api::create_programme, welfare_api::approve_programme, welfare_api::add_beneficiary,
        welfare_api::beneficiaries, welfare_api::import_beneficiaries, welfare_api::propose, welfare_api::grants, welfare_api::approve,
        welfare_api::reject, welfare_api::approve_batch, welfare_api::report, welfare_api::disclosure, welfare_api::disclosure_page,
        draws_api::seal, draws_api::commit, draws_api::enter_result, draws_api::verifiable_draw, draws_api::settle, draws_api::expire,
        draws_api::info, draws_api::sealed_file, draws_api::transcript, draws_api::announcement, pages::announcement,
        draws_api::claim, draws_api::ticket_prizes, draws_api::results, pages::results, pages::home, pages::check,
        directory_api::export_centers, directory_api::import_centers, directory_api::export_users, directory_api::import_users,
    ),
    components(schemas(wire::SellBody, wire::TicketJson, crate::error::ErrorBody, draws_api::ResultBody, draws_api::BeaconBody, draws_api::ClaimBody)),
    modifiers(&Security)
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "terminal",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "Terminal CODE:SECRET",
            ))),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
    }
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "system", responses((status = 200, description = "the OpenAPI 3 document")))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
