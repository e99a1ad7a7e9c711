//! JSON request and response types: the API's contract, converted from and to app types here.
//! No app or store type is answered as it is: each answer is one of these, with its schema
//! in the OpenAPI document.

mod channels;
mod draws;
mod inspections;
mod instant;
mod money;
mod network;
mod outreach;
mod welfare;

pub use channels::*;
pub use draws::*;
pub use inspections::*;
pub use instant::*;
pub use money::*;
pub use network::*;
pub use outreach::*;
pub use welfare::*;

use fucai_app::{
    AccountBalance, AuditCheck, AuditHead, DrawRow, ImportReport, LedgerCheck, StationRow, Ticket,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use fucai_app::beijing_time;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SellBody {
    /// The terminal's id for this request; a retry with the same id never sells twice.
    pub request_id: String,
    /// ssq, fc3d, qlc or kl8.
    pub game: String,
    /// First draw (期号), e.g. 2026137.
    pub draw: String,
    /// Consecutive draws covered (多期), default 1.
    pub draws: Option<u32>,
    /// Ticket-wide multiple, default 1.
    pub multiple: Option<u32>,
    /// Selection lines in the syntax of docs/SYNTAX.md.
    pub selections: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TicketLineJson {
    pub selection: String,
    pub bets: i64,
    pub multiple: i64,
}

#[derive(Serialize, ToSchema)]
pub struct TicketJson {
    pub serial: String,
    /// HMAC-SHA256 verification code (校验码) printed on the ticket: only in the sale's own
    /// answer to the selling terminal (with the serial it is what a claim needs), never in a
    /// lookup or a listing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_code: Option<String>,
    pub game: String,
    pub draws: Vec<String>,
    pub station: String,
    pub terminal: String,
    pub lines: Vec<TicketLineJson>,
    pub amount_fen: i64,
    pub sold_at: String,
    pub status: String,
    pub cancelled_at: Option<String>,
    /// True when this answer repeats an earlier sale with the same request_id.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub replayed: bool,
}

impl TicketJson {
    /// The answer to the terminal that sold the ticket, with its verification code.
    pub fn sold(t: Ticket, replayed: bool) -> TicketJson {
        let code = t.verification_code.clone();
        TicketJson {
            verification_code: Some(code),
            replayed,
            ..TicketJson::new(t)
        }
    }

    /// A ticket as any other answer shows it: without its verification code.
    pub fn new(t: Ticket) -> TicketJson {
        TicketJson {
            serial: t.serial,
            verification_code: None,
            game: t.game,
            draws: t.draws,
            station: t.station,
            terminal: t.terminal,
            lines: t
                .lines
                .into_iter()
                .map(|l| TicketLineJson {
                    selection: l.selection,
                    bets: l.bets,
                    multiple: l.multiple,
                })
                .collect(),
            amount_fen: t.amount.fen(),
            sold_at: beijing_time(t.sold_at_ms),
            status: t.status.to_string(),
            cancelled_at: t.cancelled_at_ms.map(beijing_time),
            replayed: false,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionJson {
    pub username: String,
    pub role: String,
    pub station: Option<String>,
    /// Send back in the X-CSRF-Token header on every state-changing request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
}

/// An account just created (its password is never shown back).
#[derive(Serialize, ToSchema)]
pub struct UserJson {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub station: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StationJson {
    pub code: String,
    pub name: String,
    pub owner: String,
    pub phone: String,
    pub address: String,
    pub town: String,
    pub licence_no: String,
    pub status: String,
    pub opened_on: String,
    pub closed_on: Option<String>,
    /// Why the station is suspended (empty otherwise).
    pub status_reason: String,
}

impl From<StationRow> for StationJson {
    fn from(s: StationRow) -> StationJson {
        StationJson {
            code: s.code,
            name: s.name,
            owner: s.owner,
            phone: s.phone,
            address: s.address,
            town: s.town_code,
            licence_no: s.licence_no,
            status: s.status.to_string(),
            opened_on: s.opened_on,
            closed_on: s.closed_on,
            status_reason: s.status_reason,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RowErrorJson {
    /// 1 = the first data row.
    pub row: usize,
    pub column: String,
    pub message: String,
}

impl From<fucai_app::RowError> for RowErrorJson {
    fn from(e: fucai_app::RowError) -> RowErrorJson {
        RowErrorJson {
            row: e.row,
            column: e.column,
            message: e.message,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ImportReportJson {
    pub imported: usize,
    pub errors: Vec<RowErrorJson>,
}

impl From<ImportReport> for ImportReportJson {
    fn from(r: ImportReport) -> ImportReportJson {
        ImportReportJson {
            imported: r.imported,
            errors: r.errors.into_iter().map(RowErrorJson::from).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DrawJson {
    pub game: String,
    pub number: String,
    pub opens_at: String,
    pub closes_at: String,
    pub draw_at: String,
    pub status: String,
}

impl From<DrawRow> for DrawJson {
    fn from(d: DrawRow) -> DrawJson {
        DrawJson {
            game: d.game,
            number: d.number,
            opens_at: beijing_time(d.opens_at),
            closes_at: beijing_time(d.closes_at),
            draw_at: beijing_time(d.draw_at),
            status: d.status.to_string(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    pub game: String,
    /// First day, YYYY-MM-DD.
    pub from: String,
    /// Last day, YYYY-MM-DD.
    pub to: String,
}

#[derive(Serialize, ToSchema)]
pub struct CountJson {
    pub added: usize,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTerminalBody {
    pub code: String,
}

#[derive(Serialize, ToSchema)]
pub struct TerminalCreatedJson {
    pub code: String,
    pub station: String,
    /// Shown once: configure it on the terminal as `Authorization: Terminal CODE:SECRET`.
    pub secret: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: String,
    pub station: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BalanceJson {
    pub account: String,
    pub normal_side: String,
    pub balance_fen: i64,
}

impl From<AccountBalance> for BalanceJson {
    fn from(b: AccountBalance) -> BalanceJson {
        BalanceJson {
            account: b.code,
            normal_side: b.normal_side,
            balance_fen: b.balance.fen(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LedgerVerifyJson {
    pub ok: bool,
    pub entries: i64,
    pub unbalanced_entries: Vec<i64>,
    pub balance_mismatches: Vec<String>,
    pub tickets_total_fen: i64,
    pub ticket_postings_fen: i64,
    pub tickets_without_entry: i64,
    pub entries_without_ticket: i64,
    /// Tickets without their `ticket.sell` audit record, and records without their ticket.
    pub tickets_without_sale_record: i64,
    pub sale_records_without_ticket: i64,
    /// 中福在线: wagered in the hall closes in force, and the receivable posted for them.
    pub hall_sales_total_fen: i64,
    pub hall_sales_postings_fen: i64,
    /// 即开票: face value of the packs whose sales are recognised, and the receivable posted;
    /// prizes paid, and what the prize fund paid for them.
    pub instant_sales_total_fen: i64,
    pub instant_sales_postings_fen: i64,
    pub instant_prizes_total_fen: i64,
    pub instant_prize_postings_fen: i64,
}

impl From<LedgerCheck> for LedgerVerifyJson {
    fn from(c: LedgerCheck) -> LedgerVerifyJson {
        LedgerVerifyJson {
            ok: c.is_ok(),
            entries: c.entries,
            unbalanced_entries: c.unbalanced_entries.clone(),
            balance_mismatches: c
                .balance_mismatches
                .iter()
                .map(|(a, s, l)| format!("{a}: stored {s}, lines {l}"))
                .collect(),
            tickets_total_fen: c.tickets_total.fen(),
            ticket_postings_fen: c.ticket_postings.fen(),
            tickets_without_entry: c.tickets_without_entry,
            entries_without_ticket: c.entries_without_ticket,
            tickets_without_sale_record: c.tickets_without_sale_record,
            sale_records_without_ticket: c.sale_records_without_ticket,
            hall_sales_total_fen: c.hall_sales_total.fen(),
            hall_sales_postings_fen: c.hall_sales_postings.fen(),
            instant_sales_total_fen: c.instant_sales_total.fen(),
            instant_sales_postings_fen: c.instant_sales_postings.fen(),
            instant_prizes_total_fen: c.instant_prizes_total.fen(),
            instant_prize_postings_fen: c.instant_prize_postings.fen(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AuditVerifyJson {
    pub ok: bool,
    pub records: i64,
    /// The first broken link: its id and why.
    pub broken_at: Option<i64>,
    pub reason: Option<String>,
    /// Published heads compared with the chain (every sealed draw's, and the one given).
    pub heads_checked: usize,
    /// Each published head the chain no longer agrees with.
    pub head_mismatches: Vec<String>,
}

impl From<AuditCheck> for AuditVerifyJson {
    fn from(c: AuditCheck) -> AuditVerifyJson {
        AuditVerifyJson {
            ok: c.is_ok(),
            records: c.records,
            broken_at: c.broken.as_ref().map(|b| b.id),
            reason: c.broken.map(|b| b.reason),
            heads_checked: c.heads_checked,
            head_mismatches: c.head_mismatches,
        }
    }
}

/// The audit chain's newest record, as published.
#[derive(Serialize, ToSchema)]
pub struct AuditHeadJson {
    /// Records in the chain (the newest record's id).
    pub count: i64,
    /// When the newest record was written, Beijing time (absent for an empty chain).
    pub at: Option<String>,
    pub at_ms: i64,
    /// The newest record's keyed hash.
    pub hash: String,
}

impl From<AuditHead> for AuditHeadJson {
    fn from(h: AuditHead) -> AuditHeadJson {
        AuditHeadJson {
            count: h.count,
            at: (h.count > 0).then(|| beijing_time(h.at_ms)),
            at_ms: h.at_ms,
            hash: h.hash,
        }
    }
}
