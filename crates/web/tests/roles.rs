//! Every route × every kind of caller: allowed or refused, as written out here by hand (not
//! derived from the server's own table, so a change to either shows up).

mod common;

use common::{start, Server, Session, OWN_STATION};
use fucai_app::Role;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
    Anonymous,
    Terminal,
    Staff(Role),
}

const ALL: &str =
    "anonymous terminal admin finance operations welfare auditor station_owner station_clerk";
const WELFARE_READERS: &str = "admin welfare finance auditor operations";
const NETWORK_READERS: &str = "admin operations finance auditor";
/// A station owner passes these routes' policy; with `{id}` not a number, or no period given,
/// the request is refused as bad input (400) before any row is read.
const NETWORK_READERS_AND_OWNER: &str = "admin operations finance auditor station_owner";
const FINDING_PARTIES: &str = "admin operations station_owner";
const STAFF: &str = "admin finance operations welfare auditor station_owner station_clerk";

/// (method, path, who may call it)
const MATRIX: &[(&str, &str, &str)] = &[
    ("GET", "/healthz", ALL),
    ("GET", "/api/v1/openapi.json", ALL),
    ("POST", "/api/v1/session", ALL),
    ("GET", "/api/v1/session", STAFF),
    ("GET", "/api/v1/draws", ALL),
    ("POST", "/api/v1/draws/schedule", "admin operations"),
    ("POST", "/api/v1/tickets", "terminal"),
    ("GET", "/api/v1/tickets/{serial}", ALL),
    ("POST", "/api/v1/tickets/{serial}/cancel", "terminal"),
    (
        "GET",
        "/api/v1/stations",
        "admin finance operations welfare auditor",
    ),
    (
        "GET",
        "/api/v1/stations/export",
        "admin finance operations welfare auditor",
    ),
    ("POST", "/api/v1/stations/import", "admin operations"),
    ("GET", "/api/v1/stations/{code}", STAFF),
    (
        "GET",
        "/api/v1/stations/{code}/tickets",
        "admin finance operations auditor station_owner station_clerk",
    ),
    (
        "POST",
        "/api/v1/stations/{code}/terminals",
        "admin operations",
    ),
    ("POST", "/api/v1/daily-sales/import", "admin finance"),
    (
        "GET",
        "/api/v1/towns/export",
        "admin finance operations welfare auditor",
    ),
    ("POST", "/api/v1/towns/import", "admin operations"),
    (
        "GET",
        "/api/v1/terminals/export",
        "admin finance operations welfare auditor",
    ),
    ("GET", "/api/v1/ledger/balances", "admin finance auditor"),
    ("GET", "/api/v1/ledger/verify", "admin finance auditor"),
    ("GET", "/api/v1/audit/verify", "admin auditor"),
    ("POST", "/api/v1/users", "admin"),
    ("GET", "/api/v1/welfare/programmes", WELFARE_READERS),
    ("POST", "/api/v1/welfare/programmes", "admin welfare"),
    (
        "POST",
        "/api/v1/welfare/programmes/{code}/approve",
        "admin finance",
    ),
    ("GET", "/api/v1/welfare/beneficiaries", WELFARE_READERS),
    ("POST", "/api/v1/welfare/beneficiaries", "admin welfare"),
    (
        "POST",
        "/api/v1/welfare/beneficiaries/import",
        "admin welfare",
    ),
    ("GET", "/api/v1/welfare/grants", WELFARE_READERS),
    ("POST", "/api/v1/welfare/grants", "admin welfare"),
    (
        "POST",
        "/api/v1/welfare/grants/{id}/approve",
        "admin finance",
    ),
    (
        "POST",
        "/api/v1/welfare/grants/{id}/reject",
        "admin finance",
    ),
    (
        "POST",
        "/api/v1/welfare/batches/{id}/approve",
        "admin finance",
    ),
    ("GET", "/api/v1/welfare/report", WELFARE_READERS),
    ("GET", "/api/v1/public/welfare/disclosure", ALL),
    ("GET", "/welfare/disclosure", ALL),
    (
        "POST",
        "/api/v1/draws/{game}/{number}/seal",
        "admin operations",
    ),
    (
        "POST",
        "/api/v1/draws/{game}/{number}/commitment",
        "admin operations",
    ),
    (
        "POST",
        "/api/v1/draws/{game}/{number}/result",
        "admin operations",
    ),
    (
        "POST",
        "/api/v1/draws/{game}/{number}/verifiable-draw",
        "admin operations",
    ),
    (
        "POST",
        "/api/v1/draws/{game}/{number}/settle",
        "admin finance",
    ),
    (
        "POST",
        "/api/v1/draws/{game}/{number}/expire",
        "admin finance",
    ),
    ("GET", "/api/v1/public/draws/{game}/{number}", ALL),
    (
        "GET",
        "/api/v1/public/draws/{game}/{number}/sealed.parquet",
        ALL,
    ),
    (
        "GET",
        "/api/v1/public/draws/{game}/{number}/transcript",
        ALL,
    ),
    (
        "GET",
        "/api/v1/public/draws/{game}/{number}/announcement",
        ALL,
    ),
    ("GET", "/draws/{game}/{number}", ALL),
    ("POST", "/api/v1/claims", "terminal admin finance"),
    ("GET", "/api/v1/tickets/{serial}/prizes", ALL),
    ("GET", "/api/v1/public/results", ALL),
    ("GET", "/api/v1/public/audit-head", ALL),
    ("GET", "/draws", ALL),
    ("GET", "/", ALL),
    ("GET", "/check", ALL),
    (
        "GET",
        "/api/v1/centers/export",
        "admin finance operations welfare auditor",
    ),
    ("POST", "/api/v1/centers/import", "admin operations"),
    ("GET", "/api/v1/users/export", "admin"),
    ("POST", "/api/v1/users/import", "admin"),
    (
        "POST",
        "/api/v1/stations/{code}/suspend",
        "admin operations",
    ),
    ("POST", "/api/v1/stations/{code}/reopen", "admin operations"),
    ("POST", "/api/v1/stations/{code}/close", "admin operations"),
    ("GET", "/api/v1/stations/{code}/history", STAFF),
    (
        "POST",
        "/api/v1/terminals/{code}/disable",
        "admin operations",
    ),
    (
        "POST",
        "/api/v1/terminals/{code}/enable",
        "admin operations",
    ),
    (
        "POST",
        "/api/v1/terminals/{code}/replace",
        "admin operations",
    ),
    // Station roles only with their own station (`?station=`): the bare list is refused.
    (
        "GET",
        "/api/v1/station-people",
        "admin finance operations welfare auditor",
    ),
    ("POST", "/api/v1/station-people", "admin operations"),
    (
        "POST",
        "/api/v1/station-people/{id}/leave",
        "admin operations",
    ),
    ("POST", "/api/v1/station-people/import", "admin operations"),
    (
        "GET",
        "/api/v1/station-people/export",
        "admin finance operations welfare auditor",
    ),
    ("POST", "/api/v1/users/{username}/deactivate", "admin"),
    ("POST", "/api/v1/users/{username}/activate", "admin"),
    ("POST", "/api/v1/users/{username}/reset-password", "admin"),
    ("POST", "/api/v1/users/{username}/role", "admin"),
    ("GET", "/api/v1/public/stations", ALL),
    ("GET", "/stations", ALL),
    ("GET", "/instant", ALL),
    ("POST", "/api/v1/trainings", "admin operations"),
    ("GET", "/api/v1/trainings", NETWORK_READERS),
    ("GET", "/api/v1/trainings/report", NETWORK_READERS),
    (
        "POST",
        "/api/v1/trainings/{id}/attendance",
        "admin operations",
    ),
    ("GET", "/api/v1/trainings/{id}/attendance", NETWORK_READERS),
    // Everyone else only their own record (web/tests/training.rs).
    ("GET", "/api/v1/users/{username}/training", NETWORK_READERS),
    ("GET", "/api/v1/trainings/report/export", NETWORK_READERS),
    (
        "POST",
        "/api/v1/trainings/{id}/attendance/import",
        "admin operations",
    ),
    ("GET", "/api/v1/checklist", STAFF),
    ("POST", "/api/v1/visit-plans", "admin operations"),
    ("GET", "/api/v1/visit-plans/{year}", NETWORK_READERS),
    ("POST", "/api/v1/visits", "admin operations"),
    // A station owner: their own station's visits and findings only (the bare lists are
    // refused; web/tests/inspections.rs shows their own).
    ("GET", "/api/v1/visits", NETWORK_READERS_AND_OWNER),
    ("GET", "/api/v1/findings", NETWORK_READERS),
    ("GET", "/api/v1/findings/{id}", NETWORK_READERS_AND_OWNER),
    ("POST", "/api/v1/findings/{id}/start", FINDING_PARTIES),
    ("POST", "/api/v1/findings/{id}/submit", FINDING_PARTIES),
    ("POST", "/api/v1/findings/{id}/verify", "admin operations"),
    ("POST", "/api/v1/findings/{id}/reopen", "admin operations"),
    ("POST", "/api/v1/findings/{id}/appeal", FINDING_PARTIES),
    ("POST", "/api/v1/appeals/{id}/decide", "admin operations"),
    ("POST", "/api/v1/return-visits", "admin operations"),
    ("GET", "/api/v1/return-visits", NETWORK_READERS),
    ("GET", "/api/v1/ratings/{year}", NETWORK_READERS),
    ("POST", "/api/v1/ratings/{year}", "admin operations"),
    ("POST", "/api/v1/stations/{code}/terms", "admin finance"),
    (
        "POST",
        "/api/v1/stations/{code}/commission",
        "admin finance",
    ),
    // A station owner: their own station's statement ({code} is the owner's station here; the
    // period is missing, so every allowed caller gets 400 and nothing is read).
    (
        "GET",
        "/api/v1/stations/{code}/statement",
        "admin finance auditor station_owner",
    ),
    ("POST", "/api/v1/halls/import", "admin operations"),
    (
        "POST",
        "/api/v1/instant/batches/{game}/{batch}/winners",
        "admin operations",
    ),
    (
        "POST",
        "/api/v1/instant/scans/{action}",
        "terminal admin operations station_owner station_clerk",
    ),
    ("GET", "/api/v1/instant/packs/{label}", NETWORK_READERS),
    ("GET", "/api/v1/instant/stock", NETWORK_READERS),
    (
        "POST",
        "/api/v1/instant/orders",
        "terminal admin operations station_owner station_clerk",
    ),
    ("GET", "/api/v1/instant/orders", NETWORK_READERS),
    ("GET", "/api/v1/instant/sales", NETWORK_READERS),
    ("POST", "/api/v1/instant/claims", "terminal admin finance"),
    (
        "POST",
        "/api/v1/stations/{code}/instant-claim-scope",
        "admin operations",
    ),
    ("GET", "/api/v1/public/instant/prizes", ALL),
    ("POST", "/api/v1/hall-days/import", "admin finance"),
    ("GET", "/api/v1/halls", NETWORK_READERS),
    ("GET", "/api/v1/halls/{code}/days", NETWORK_READERS),
    (
        "POST",
        "/api/v1/halls/{code}/days/{date}/correction",
        "admin finance",
    ),
    ("GET", "/api/v1/reports/sales-by-channel", NETWORK_READERS),
    ("GET", "/api/v1/reports/sales", NETWORK_READERS),
    ("GET", "/api/v1/reports/summary", NETWORK_READERS),
    ("POST", "/api/v1/remittances", "admin finance"),
    ("POST", "/api/v1/remittances/bank-debit", "admin finance"),
    (
        "GET",
        "/api/v1/remittances/overdue",
        "admin finance auditor",
    ),
    ("POST", "/api/v1/campaigns", "admin operations"),
    ("GET", "/api/v1/campaigns", NETWORK_READERS),
    ("GET", "/api/v1/campaigns/{code}", NETWORK_READERS),
    ("POST", "/api/v1/campaigns/{code}/close", "admin operations"),
    (
        "POST",
        "/api/v1/campaigns/{code}/rewards",
        "admin operations",
    ),
    ("GET", "/api/v1/campaigns/{code}/export", NETWORK_READERS),
    ("POST", "/api/v1/activities", "admin operations"),
    ("GET", "/api/v1/activities", NETWORK_READERS),
    ("GET", "/api/v1/activities/export", NETWORK_READERS),
    // A station owner: evidence of their own station's findings (the subject is missing here).
    ("POST", "/api/v1/evidence", FINDING_PARTIES),
    ("GET", "/api/v1/evidence", NETWORK_READERS_AND_OWNER),
    ("GET", "/api/v1/evidence/check", "admin operations auditor"),
    ("GET", "/api/v1/evidence/{sha256}", NETWORK_READERS),
    // Last: it ends the session.
    ("DELETE", "/api/v1/session", STAFF),
];

fn name(c: Caller) -> &'static str {
    match c {
        Caller::Anonymous => "anonymous",
        Caller::Terminal => "terminal",
        Caller::Staff(r) => r.code(),
    }
}

fn headers(s: &Server, c: Caller, sessions: &[(Role, Session)]) -> HeaderMap {
    match c {
        Caller::Anonymous => HeaderMap::new(),
        Caller::Terminal => s.terminal(OWN_STATION),
        Caller::Staff(role) => {
            s.session_headers(&sessions.iter().find(|(r, _)| *r == role).unwrap().1)
        }
    }
}

#[tokio::test]
async fn every_route_allows_exactly_the_callers_it_should() {
    let s = start().await;
    let mut sessions = Vec::new();
    for role in Role::ALL {
        sessions.push((role, s.login(role).await));
    }
    let callers: Vec<Caller> = [Caller::Anonymous, Caller::Terminal]
        .into_iter()
        .chain(Role::ALL.map(Caller::Staff))
        .collect();

    // The matrix names every route the server has, and nothing else.
    let mut listed: Vec<(&str, &str)> = MATRIX.iter().map(|(m, p, _)| (*m, *p)).collect();
    let mut routes: Vec<(&str, &str)> = fucai_web::policy::ROUTES
        .iter()
        .map(|r| (r.method, r.path))
        .collect();
    listed.sort();
    routes.sort();
    assert_eq!(listed, routes, "the role × route matrix is out of date");

    let mut failures = Vec::new();
    for (method, path, allowed) in MATRIX {
        let url = s.url(
            &path
                .replace("{serial}", "000")
                .replace("{code}", OWN_STATION),
        );
        for &caller in &callers {
            // Bodies are deliberately incomplete: an allowed caller gets 400/404/422, never a change.
            let r = s
                .client
                .request(Method::from_bytes(method.as_bytes()).unwrap(), &url)
                .headers(headers(&s, caller, &sessions))
                .header("content-type", "application/json")
                .body(if *method == "GET" { "" } else { "{}" })
                .send()
                .await
                .unwrap();
            let status = r.status();
            let should_allow = allowed.split(' ').any(|a| a == name(caller));
            let refused = status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN;
            if should_allow == refused {
                failures.push(format!("{method} {path} as {}: {status}", name(caller)));
            }
            if refused && caller == Caller::Anonymous {
                assert_eq!(
                    status,
                    StatusCode::UNAUTHORIZED,
                    "{method} {path}: anonymous callers get 401"
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "wrong decisions:\n{}",
        failures.join("\n")
    );
}
