//! Every API route with the principals allowed to call it. The authorization middleware
//! refuses any route that is not in this table, so a route cannot exist without a policy;
//! the role × route test walks the same table.

use fucai_app::claims::DISTRICT_CASHIERS;
use fucai_app::draws::{DRAW_OPERATORS, SETTLERS};
use fucai_app::instant::INSTANT_OPERATORS;
use fucai_app::network::{
    EVIDENCE_UPLOADERS, FINANCE_STAFF, MONEY_READERS, NETWORK_EDITORS, NETWORK_READERS,
};
use fucai_app::welfare::{WELFARE_CHECKERS, WELFARE_MAKERS, WELFARE_READERS};
use fucai_app::{
    Access, Role, ADMINS, ALL_STAFF, CHANNEL_EDITORS, CHANNEL_READERS, LEDGER_READERS,
    REGISTER_EDITORS, REGISTER_READERS, SALES_READERS,
};

#[derive(Clone, Copy, Debug)]
pub struct RouteSpec {
    pub method: &'static str,
    /// The path template as routed (`{serial}` for parameters).
    pub path: &'static str,
    pub access: Access,
}

const fn route(method: &'static str, path: &'static str, access: Access) -> RouteSpec {
    RouteSpec {
        method,
        path,
        access,
    }
}

pub const AUDITORS: &[Role] = &[Role::Admin, Role::Auditor];
pub const FINANCE: &[Role] = &[Role::Admin, Role::Finance];

pub const ROUTES: &[RouteSpec] = &[
    route("GET", "/healthz", Access::Public),
    route("GET", "/api/v1/openapi.json", Access::Public),
    route("POST", "/api/v1/session", Access::Public),
    route("GET", "/api/v1/session", Access::Roles(ALL_STAFF)),
    route("DELETE", "/api/v1/session", Access::Roles(ALL_STAFF)),
    route("GET", "/api/v1/draws", Access::Public),
    route(
        "POST",
        "/api/v1/draws/schedule",
        Access::Roles(REGISTER_EDITORS),
    ),
    route("POST", "/api/v1/tickets", Access::Terminal),
    route("GET", "/api/v1/tickets/{serial}", Access::Public),
    route("POST", "/api/v1/tickets/{serial}/cancel", Access::Terminal),
    route("GET", "/api/v1/stations", Access::Roles(REGISTER_READERS)),
    route(
        "GET",
        "/api/v1/stations/export",
        Access::Roles(REGISTER_READERS),
    ),
    route(
        "POST",
        "/api/v1/stations/import",
        Access::Roles(REGISTER_EDITORS),
    ),
    route("GET", "/api/v1/stations/{code}", Access::Roles(ALL_STAFF)),
    route(
        "GET",
        "/api/v1/stations/{code}/tickets",
        Access::Roles(SALES_READERS),
    ),
    route(
        "POST",
        "/api/v1/stations/{code}/terminals",
        Access::Roles(REGISTER_EDITORS),
    ),
    route(
        "GET",
        "/api/v1/towns/export",
        Access::Roles(REGISTER_READERS),
    ),
    route(
        "POST",
        "/api/v1/towns/import",
        Access::Roles(REGISTER_EDITORS),
    ),
    route(
        "GET",
        "/api/v1/terminals/export",
        Access::Roles(REGISTER_READERS),
    ),
    route("POST", "/api/v1/daily-sales/import", Access::Roles(FINANCE)),
    route(
        "GET",
        "/api/v1/ledger/balances",
        Access::Roles(LEDGER_READERS),
    ),
    route(
        "GET",
        "/api/v1/ledger/verify",
        Access::Roles(LEDGER_READERS),
    ),
    route("GET", "/api/v1/audit/verify", Access::Roles(AUDITORS)),
    route("GET", "/api/v1/public/audit-head", Access::Public),
    route("POST", "/api/v1/users", Access::Roles(ADMINS)),
    route(
        "GET",
        "/api/v1/welfare/programmes",
        Access::Roles(WELFARE_READERS),
    ),
    route(
        "POST",
        "/api/v1/welfare/programmes",
        Access::Roles(WELFARE_MAKERS),
    ),
    route(
        "POST",
        "/api/v1/welfare/programmes/{code}/approve",
        Access::Roles(WELFARE_CHECKERS),
    ),
    route(
        "GET",
        "/api/v1/welfare/beneficiaries",
        Access::Roles(WELFARE_READERS),
    ),
    route(
        "POST",
        "/api/v1/welfare/beneficiaries",
        Access::Roles(WELFARE_MAKERS),
    ),
    route(
        "POST",
        "/api/v1/welfare/beneficiaries/import",
        Access::Roles(WELFARE_MAKERS),
    ),
    route(
        "GET",
        "/api/v1/welfare/grants",
        Access::Roles(WELFARE_READERS),
    ),
    route(
        "POST",
        "/api/v1/welfare/grants",
        Access::Roles(WELFARE_MAKERS),
    ),
    route(
        "POST",
        "/api/v1/welfare/grants/{id}/approve",
        Access::Roles(WELFARE_CHECKERS),
    ),
    route(
        "POST",
        "/api/v1/welfare/grants/{id}/reject",
        Access::Roles(WELFARE_CHECKERS),
    ),
    route(
        "POST",
        "/api/v1/welfare/batches/{id}/approve",
        Access::Roles(WELFARE_CHECKERS),
    ),
    route(
        "GET",
        "/api/v1/welfare/report",
        Access::Roles(WELFARE_READERS),
    ),
    route("GET", "/api/v1/public/welfare/disclosure", Access::Public),
    route("GET", "/welfare/disclosure", Access::Public),
    route(
        "POST",
        "/api/v1/draws/{game}/{number}/seal",
        Access::Roles(DRAW_OPERATORS),
    ),
    route(
        "POST",
        "/api/v1/draws/{game}/{number}/commitment",
        Access::Roles(DRAW_OPERATORS),
    ),
    route(
        "POST",
        "/api/v1/draws/{game}/{number}/result",
        Access::Roles(DRAW_OPERATORS),
    ),
    route(
        "POST",
        "/api/v1/draws/{game}/{number}/verifiable-draw",
        Access::Roles(DRAW_OPERATORS),
    ),
    route(
        "POST",
        "/api/v1/draws/{game}/{number}/settle",
        Access::Roles(SETTLERS),
    ),
    route(
        "POST",
        "/api/v1/draws/{game}/{number}/expire",
        Access::Roles(SETTLERS),
    ),
    route(
        "GET",
        "/api/v1/public/draws/{game}/{number}",
        Access::Public,
    ),
    route(
        "GET",
        "/api/v1/public/draws/{game}/{number}/sealed.parquet",
        Access::Public,
    ),
    route(
        "GET",
        "/api/v1/public/draws/{game}/{number}/transcript",
        Access::Public,
    ),
    route(
        "GET",
        "/api/v1/public/draws/{game}/{number}/announcement",
        Access::Public,
    ),
    route("GET", "/draws/{game}/{number}", Access::Public),
    route(
        "POST",
        "/api/v1/claims",
        Access::TerminalOr(DISTRICT_CASHIERS),
    ),
    route("GET", "/api/v1/tickets/{serial}/prizes", Access::Public),
    route("GET", "/api/v1/public/results", Access::Public),
    route("GET", "/draws", Access::Public),
    route("GET", "/", Access::Public),
    route("GET", "/check", Access::Public),
    route(
        "GET",
        "/api/v1/centers/export",
        Access::Roles(REGISTER_READERS),
    ),
    route(
        "POST",
        "/api/v1/centers/import",
        Access::Roles(REGISTER_EDITORS),
    ),
    route("GET", "/api/v1/users/export", Access::Roles(ADMINS)),
    route("POST", "/api/v1/users/import", Access::Roles(ADMINS)),
    // The station network.
    route(
        "POST",
        "/api/v1/stations/{code}/suspend",
        Access::Roles(REGISTER_EDITORS),
    ),
    route(
        "POST",
        "/api/v1/stations/{code}/reopen",
        Access::Roles(REGISTER_EDITORS),
    ),
    route(
        "POST",
        "/api/v1/stations/{code}/close",
        Access::Roles(REGISTER_EDITORS),
    ),
    route(
        "GET",
        "/api/v1/stations/{code}/history",
        Access::Roles(ALL_STAFF),
    ),
    route(
        "POST",
        "/api/v1/terminals/{code}/disable",
        Access::Roles(REGISTER_EDITORS),
    ),
    route(
        "POST",
        "/api/v1/terminals/{code}/enable",
        Access::Roles(REGISTER_EDITORS),
    ),
    route(
        "POST",
        "/api/v1/terminals/{code}/replace",
        Access::Roles(REGISTER_EDITORS),
    ),
    route("GET", "/api/v1/station-people", Access::Roles(ALL_STAFF)),
    route(
        "POST",
        "/api/v1/station-people",
        Access::Roles(REGISTER_EDITORS),
    ),
    route(
        "POST",
        "/api/v1/station-people/{id}/leave",
        Access::Roles(REGISTER_EDITORS),
    ),
    route(
        "POST",
        "/api/v1/station-people/import",
        Access::Roles(REGISTER_EDITORS),
    ),
    route(
        "GET",
        "/api/v1/station-people/export",
        Access::Roles(REGISTER_READERS),
    ),
    route(
        "POST",
        "/api/v1/users/{username}/deactivate",
        Access::Roles(ADMINS),
    ),
    route(
        "POST",
        "/api/v1/users/{username}/activate",
        Access::Roles(ADMINS),
    ),
    route(
        "POST",
        "/api/v1/users/{username}/reset-password",
        Access::Roles(ADMINS),
    ),
    route(
        "POST",
        "/api/v1/users/{username}/role",
        Access::Roles(ADMINS),
    ),
    route("GET", "/api/v1/public/stations", Access::Public),
    route("GET", "/stations", Access::Public),
    route("GET", "/instant", Access::Public),
    route("POST", "/api/v1/trainings", Access::Roles(NETWORK_EDITORS)),
    route("GET", "/api/v1/trainings", Access::Roles(NETWORK_READERS)),
    route(
        "GET",
        "/api/v1/trainings/report",
        Access::Roles(NETWORK_READERS),
    ),
    route(
        "GET",
        "/api/v1/trainings/report/export",
        Access::Roles(NETWORK_READERS),
    ),
    route(
        "POST",
        "/api/v1/trainings/{id}/attendance/import",
        Access::Roles(NETWORK_EDITORS),
    ),
    route(
        "POST",
        "/api/v1/trainings/{id}/attendance",
        Access::Roles(NETWORK_EDITORS),
    ),
    route(
        "GET",
        "/api/v1/trainings/{id}/attendance",
        Access::Roles(NETWORK_READERS),
    ),
    route(
        "GET",
        "/api/v1/users/{username}/training",
        Access::Roles(ALL_STAFF),
    ),
    route("GET", "/api/v1/checklist", Access::Roles(ALL_STAFF)),
    route(
        "POST",
        "/api/v1/visit-plans",
        Access::Roles(NETWORK_EDITORS),
    ),
    route(
        "GET",
        "/api/v1/visit-plans/{year}",
        Access::Roles(NETWORK_READERS),
    ),
    route("POST", "/api/v1/visits", Access::Roles(NETWORK_EDITORS)),
    // Station owners: their own station's visits and findings (the use case checks which).
    route("GET", "/api/v1/visits", Access::Roles(FINDING_READERS)),
    route("GET", "/api/v1/findings", Access::Roles(FINDING_READERS)),
    route(
        "GET",
        "/api/v1/findings/{id}",
        Access::Roles(FINDING_READERS),
    ),
    route(
        "POST",
        "/api/v1/findings/{id}/start",
        Access::Roles(FINDING_PARTIES),
    ),
    route(
        "POST",
        "/api/v1/findings/{id}/submit",
        Access::Roles(FINDING_PARTIES),
    ),
    route(
        "POST",
        "/api/v1/findings/{id}/verify",
        Access::Roles(NETWORK_EDITORS),
    ),
    route(
        "POST",
        "/api/v1/findings/{id}/reopen",
        Access::Roles(NETWORK_EDITORS),
    ),
    route(
        "POST",
        "/api/v1/findings/{id}/appeal",
        Access::Roles(FINDING_PARTIES),
    ),
    route(
        "POST",
        "/api/v1/appeals/{id}/decide",
        Access::Roles(NETWORK_EDITORS),
    ),
    route(
        "POST",
        "/api/v1/return-visits",
        Access::Roles(NETWORK_EDITORS),
    ),
    route(
        "GET",
        "/api/v1/return-visits",
        Access::Roles(NETWORK_READERS),
    ),
    route(
        "GET",
        "/api/v1/ratings/{year}",
        Access::Roles(NETWORK_READERS),
    ),
    route(
        "POST",
        "/api/v1/ratings/{year}",
        Access::Roles(NETWORK_EDITORS),
    ),
    route(
        "POST",
        "/api/v1/halls/import",
        Access::Roles(REGISTER_EDITORS),
    ),
    route(
        "POST",
        "/api/v1/instant/batches/{game}/{batch}/winners",
        Access::Roles(INSTANT_OPERATORS),
    ),
    // Stations confirm, activate and report missing packs of their own (the use case checks
    // which move and which station).
    route(
        "POST",
        "/api/v1/instant/scans/{action}",
        Access::TerminalOr(PACK_HANDLERS),
    ),
    route(
        "GET",
        "/api/v1/instant/packs/{label}",
        Access::Roles(CHANNEL_READERS),
    ),
    route(
        "GET",
        "/api/v1/instant/stock",
        Access::Roles(CHANNEL_READERS),
    ),
    // A station orders for itself (the use case checks which).
    route(
        "POST",
        "/api/v1/instant/orders",
        Access::TerminalOr(PACK_HANDLERS),
    ),
    route(
        "GET",
        "/api/v1/instant/orders",
        Access::Roles(CHANNEL_READERS),
    ),
    route(
        "GET",
        "/api/v1/instant/sales",
        Access::Roles(CHANNEL_READERS),
    ),
    route(
        "POST",
        "/api/v1/instant/claims",
        Access::TerminalOr(DISTRICT_CASHIERS),
    ),
    route(
        "POST",
        "/api/v1/stations/{code}/instant-claim-scope",
        Access::Roles(INSTANT_OPERATORS),
    ),
    route("GET", "/api/v1/public/instant/prizes", Access::Public),
    route(
        "POST",
        "/api/v1/hall-days/import",
        Access::Roles(CHANNEL_EDITORS),
    ),
    route("GET", "/api/v1/halls", Access::Roles(CHANNEL_READERS)),
    route(
        "GET",
        "/api/v1/halls/{code}/days",
        Access::Roles(CHANNEL_READERS),
    ),
    route(
        "POST",
        "/api/v1/halls/{code}/days/{date}/correction",
        Access::Roles(CHANNEL_EDITORS),
    ),
    route(
        "GET",
        "/api/v1/reports/sales-by-channel",
        Access::Roles(CHANNEL_READERS),
    ),
    route(
        "GET",
        "/api/v1/reports/sales",
        Access::Roles(CHANNEL_READERS),
    ),
    route(
        "GET",
        "/api/v1/reports/summary",
        Access::Roles(CHANNEL_READERS),
    ),
    route(
        "POST",
        "/api/v1/stations/{code}/terms",
        Access::Roles(FINANCE_STAFF),
    ),
    route(
        "POST",
        "/api/v1/stations/{code}/commission",
        Access::Roles(FINANCE_STAFF),
    ),
    // Station owners: their own statement only (the use case checks which).
    route(
        "GET",
        "/api/v1/stations/{code}/statement",
        Access::Roles(STATEMENT_READERS),
    ),
    route("POST", "/api/v1/remittances", Access::Roles(FINANCE_STAFF)),
    route(
        "POST",
        "/api/v1/remittances/bank-debit",
        Access::Roles(FINANCE_STAFF),
    ),
    route(
        "GET",
        "/api/v1/remittances/overdue",
        Access::Roles(MONEY_READERS),
    ),
    route("POST", "/api/v1/campaigns", Access::Roles(NETWORK_EDITORS)),
    route("GET", "/api/v1/campaigns", Access::Roles(NETWORK_READERS)),
    route(
        "GET",
        "/api/v1/campaigns/{code}",
        Access::Roles(NETWORK_READERS),
    ),
    route(
        "POST",
        "/api/v1/campaigns/{code}/close",
        Access::Roles(NETWORK_EDITORS),
    ),
    route(
        "POST",
        "/api/v1/campaigns/{code}/rewards",
        Access::Roles(NETWORK_EDITORS),
    ),
    route(
        "GET",
        "/api/v1/campaigns/{code}/export",
        Access::Roles(NETWORK_READERS),
    ),
    route("POST", "/api/v1/activities", Access::Roles(NETWORK_EDITORS)),
    route("GET", "/api/v1/activities", Access::Roles(NETWORK_READERS)),
    route(
        "GET",
        "/api/v1/activities/export",
        Access::Roles(NETWORK_READERS),
    ),
    // Station owners: evidence of their own findings (the use case checks which).
    route(
        "POST",
        "/api/v1/evidence",
        Access::Roles(EVIDENCE_UPLOADERS),
    ),
    route("GET", "/api/v1/evidence", Access::Roles(FINDING_READERS)),
    route(
        "GET",
        "/api/v1/evidence/check",
        Access::Roles(EVIDENCE_CHECKERS),
    ),
    route(
        "GET",
        "/api/v1/evidence/{sha256}",
        Access::Roles(NETWORK_READERS),
    ),
];

/// Move packs: the center's operators, and a station's own people (its terminal too).
const PACK_HANDLERS: &[Role] = &[
    Role::Admin,
    Role::Operations,
    Role::StationOwner,
    Role::StationClerk,
];

/// Re-read every evidence file.
const EVIDENCE_CHECKERS: &[Role] = &[Role::Admin, Role::Operations, Role::Auditor];

/// Read a station's statement: the money readers, and the station's owner.
const STATEMENT_READERS: &[Role] = &[
    Role::Admin,
    Role::Finance,
    Role::Auditor,
    Role::StationOwner,
];

/// Read visits and findings: the network's readers, and station owners (their own station).
const FINDING_READERS: &[Role] = &[
    Role::Admin,
    Role::Operations,
    Role::Finance,
    Role::Auditor,
    Role::StationOwner,
];
/// Start, submit and appeal a finding: the center, and the station's owner.
const FINDING_PARTIES: &[Role] = &[Role::Admin, Role::Operations, Role::StationOwner];

pub fn find(method: &str, path: &str) -> Option<&'static RouteSpec> {
    ROUTES.iter().find(|r| r.method == method && r.path == path)
}

/// The methods a path answers to, as an `Allow` header lists them (HEAD wherever GET is,
/// OPTIONS everywhere).
pub fn allowed_methods(path: &str) -> Vec<&'static str> {
    let mut methods: Vec<&'static str> = ROUTES
        .iter()
        .filter(|r| r.path == path)
        .map(|r| r.method)
        .collect();
    if methods.contains(&"GET") {
        methods.push("HEAD");
    }
    methods.push("OPTIONS");
    methods
}
