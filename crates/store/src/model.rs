//! Rows as stored. The app converts them to domain types and the web edge to wire types.

use fucai_ledger::Money;
use serde::Serialize;

use crate::status::{DrawStatus, StationPersonRole, StationStatus, TerminalStatus, TicketStatus};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CenterRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TownRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub center_code: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StationRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub owner: String,
    pub phone: String,
    pub address: String,
    pub town_code: String,
    pub licence_no: String,
    pub status: StationStatus,
    pub opened_on: String,
    pub closed_on: Option<String>,
    /// Why the station is suspended (empty otherwise).
    pub status_reason: String,
}

/// One move of a station's status, kept for good.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StationEventRow {
    pub from: StationStatus,
    pub to: StationStatus,
    pub effective_on: String,
    pub reason: String,
    pub actor: String,
    pub at: i64,
}

/// A person to add to a station's register.
#[derive(Clone, Debug)]
pub struct NewStationPerson<'a> {
    pub station_code: &'a str,
    pub role: StationPersonRole,
    pub name: &'a str,
    pub phone: &'a str,
    pub id_number: &'a str,
    pub from_on: &'a str,
    pub to_on: Option<&'a str>,
    pub certificates: &'a str,
}

/// A person who works at a station (owner or clerk), apart from any login account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StationPersonRow {
    pub id: i64,
    pub station_code: String,
    pub role: StationPersonRole,
    pub name: String,
    pub phone: String,
    /// The 身份证号 as stored; the app masks it before it leaves.
    pub id_number: String,
    pub from_on: String,
    pub to_on: Option<String>,
    pub certificates: String,
}

/// A station with the codes of its town and every center above it (for postings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StationChain {
    pub station: StationRow,
    /// Its sales account terms (credit limit), where the center set them.
    pub terms: Option<crate::StationTerms>,
    /// Its commission (代销费) in permille of sales, set by its latest recorded star rating;
    /// none before its first rating.
    pub commission_permille: Option<i64>,
    pub district_code: String,
    pub city_code: String,
    pub province_code: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TerminalRow {
    pub id: i64,
    pub code: String,
    pub station_id: i64,
    pub station_code: String,
    pub secret_hash: String,
    pub status: TerminalStatus,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub station_id: Option<i64>,
    pub station_code: Option<String>,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    pub user: UserRow,
    pub csrf_token: String,
    pub expires_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DrawRow {
    pub id: i64,
    pub game: String,
    pub number: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub draw_at: i64,
    pub status: DrawStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TicketLineRow {
    pub selection: String,
    pub bets: i64,
    pub multiple: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TicketRow {
    pub id: i64,
    pub serial: String,
    pub terminal_id: i64,
    pub terminal_code: String,
    pub station_id: i64,
    pub station_code: String,
    pub game: String,
    pub draws: Vec<String>,
    pub amount: Money,
    pub request_id: String,
    pub request_hash: String,
    pub verification_code: String,
    pub sold_at: i64,
    pub status: TicketStatus,
    pub cancelled_at: Option<i64>,
    pub lines: Vec<TicketLineRow>,
}

/// What a new ticket stores; ids of the draws it covers in order.
#[derive(Clone, Debug)]
pub struct NewTicket {
    pub serial: String,
    pub terminal_id: i64,
    pub station_id: i64,
    pub game: String,
    pub draw_ids: Vec<i64>,
    pub amount_per_draw: Money,
    pub request_id: String,
    pub request_hash: String,
    pub verification_code: String,
    pub sold_at: i64,
    pub lines: Vec<TicketLineRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DailySalesRow {
    pub sale_date: String,
    pub station_code: String,
    pub game: String,
    pub amount: Money,
    pub bets: i64,
}
