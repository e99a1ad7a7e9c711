//! The OpenAPI 3 document, generated from the handlers' annotations and the wire types.

use axum::Json;
use fucai_app::Access;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr};
use utoipa::{Modify, OpenApi};

use crate::{
    accounts_api, channels_api, directory_api, draws_api, imports_api, inspections_api,
    instant_api, money_api, network_api, outreach_api, pages, policy, registers_api, sales_api,
    training_api, welfare_api, wire,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "fucai API", description = "福彩 — operations platform of a district welfare-lottery center. Money is integer 分; times are RFC 3339 in Beijing time."),
    paths(
        accounts_api::healthz, accounts_api::login, accounts_api::me, accounts_api::logout, accounts_api::create_user,
        accounts_api::balances, accounts_api::verify_ledger, accounts_api::verify_audit, accounts_api::audit_head,
        sales_api::sell, sales_api::cancel, sales_api::verify, sales_api::station_tickets, sales_api::open_draws, sales_api::schedule,
        registers_api::stations, registers_api::station, imports_api::import_stations, registers_api::export_stations,
        registers_api::add_terminal, imports_api::import_daily_sales, openapi_json,
        registers_api::export_towns, imports_api::import_towns, registers_api::export_terminals,
        welfare_api::programmes, welfare_api::create_programme, welfare_api::approve_programme, welfare_api::add_beneficiary,
        welfare_api::beneficiaries, imports_api::import_beneficiaries, welfare_api::propose, welfare_api::grants, welfare_api::approve,
        welfare_api::reject, welfare_api::approve_batch, welfare_api::report, welfare_api::disclosure, pages::disclosure,
        draws_api::seal, draws_api::commit, draws_api::enter_result, draws_api::verifiable_draw, draws_api::settle, draws_api::expire,
        draws_api::info, draws_api::sealed_file, draws_api::transcript, draws_api::announcement, pages::announcement,
        draws_api::claim, draws_api::ticket_prizes, draws_api::results, pages::results, pages::home, pages::check, pages::stations, pages::instant,
        directory_api::export_centers, imports_api::import_centers, directory_api::export_users, directory_api::import_users,
        network_api::suspend_station, network_api::reopen_station, network_api::close_station, network_api::station_history,
        network_api::disable_terminal, network_api::enable_terminal, network_api::replace_terminal,
        network_api::station_people, network_api::add_station_person, network_api::station_person_leaves,
        imports_api::import_station_people, network_api::export_station_people,
        network_api::deactivate_user, network_api::activate_user, network_api::reset_password, network_api::change_role,
        network_api::public_stations,
        imports_api::import_halls, imports_api::import_hall_days, channels_api::halls, channels_api::hall_days,
        channels_api::correct_hall_day, channels_api::sales_by_channel, channels_api::sales_report, channels_api::summary,
        instant_api::import_winners, instant_api::move_packs, instant_api::pack, instant_api::stock,
        instant_api::claim, instant_api::set_claim_scope, instant_api::prizes, instant_api::order, instant_api::orders,
        instant_api::sales,
        training_api::create_training, training_api::trainings, training_api::record_attendance, training_api::attendance,
        training_api::report, training_api::staff_record, training_api::import_attendance, training_api::export_report,
        inspections_api::checklist, inspections_api::set_plan, inspections_api::plans, inspections_api::record_visit,
        inspections_api::visits, inspections_api::findings, inspections_api::finding, inspections_api::start_finding,
        inspections_api::submit_finding, inspections_api::verify_finding, inspections_api::reopen_finding,
        inspections_api::appeal, inspections_api::decide_appeal, inspections_api::record_return_visit,
        inspections_api::return_visits, inspections_api::ratings, inspections_api::record_ratings,
        money_api::set_terms, money_api::remit, money_api::settle_commission, money_api::statement, money_api::overdue, money_api::bank_debit,
        outreach_api::create_campaign, outreach_api::campaigns, outreach_api::campaign, outreach_api::close_campaign,
        outreach_api::reward, outreach_api::export_campaign, outreach_api::record_activity, outreach_api::activities,
        outreach_api::export_activities, outreach_api::upload_evidence, outreach_api::evidence_of,
        outreach_api::evidence_file, outreach_api::check_evidence,
    ),
    components(schemas(wire::SellBody, wire::TicketJson, crate::error::ErrorBody, draws_api::ResultBody, draws_api::BeaconBody, draws_api::ClaimBody)),
    modifiers(&Security, &CommonErrors)
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

/// Adds to every operation the error answers the edge gives whatever the handler does, so
/// that the document lists every status a route can answer with:
/// 400 (a bad parameter or body), 401 (wrong credentials, on any route), 403 (a role the
/// route's policy refuses, or a missing CSRF token), 413 and 415 (a body too large, or JSON
/// without its content type), 500, and 503 for writes (the write queue full or the disk).
struct CommonErrors;

impl CommonErrors {
    fn add(op: &mut Operation, method: &str, path: &str) {
        let access = policy::find(method, path).map(|r| r.access);
        let has_parameters = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
        let body_types: Vec<String> = op
            .request_body
            .as_ref()
            .map(|b| b.content.keys().cloned().collect())
            .unwrap_or_default();
        let mut answers = vec![(401, "wrong terminal credentials or session")];
        if has_parameters || !body_types.is_empty() {
            answers.push((400, "a parameter or the body is invalid"));
        }
        if access.is_some_and(|a| a != Access::Public) {
            answers.push((
                403,
                "this account may not use this route, or the CSRF token is missing",
            ));
        }
        if !body_types.is_empty() {
            answers.push((413, "the body is too large"));
        }
        if body_types.iter().any(|t| t == "application/json") {
            answers.push((415, "the body is not sent as application/json"));
        }
        answers.push((500, "an internal error (logged)"));
        if method != "GET" {
            answers.push((
                503,
                "busy, or the database cannot take writes now; retry later",
            ));
        }
        for (status, description) in answers {
            op.responses
                .responses
                .entry(status.to_string())
                .or_insert_with(|| {
                    RefOr::T(
                        ResponseBuilder::new()
                            .description(description)
                            .content(
                                "application/json",
                                Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                            )
                            .build(),
                    )
                });
        }
    }
}

impl Modify for CommonErrors {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for (path, item) in doc.paths.paths.iter_mut() {
            for (method, op) in [
                ("GET", item.get.as_mut()),
                ("POST", item.post.as_mut()),
                ("DELETE", item.delete.as_mut()),
            ] {
                if let Some(op) = op {
                    CommonErrors::add(op, method, path);
                }
            }
        }
    }
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "system", responses((status = 200, description = "the OpenAPI 3 document", body = Object)))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
