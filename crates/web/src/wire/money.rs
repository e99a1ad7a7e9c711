//! Station money on the wire: terms, remittances, commission, statements, the overdue list.

use fucai_app::network::{OverdueStation, StationStatement};
use fucai_app::network_rows::RemittanceRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsBody {
    /// Most the station may owe, in 元 (its deposit, 保证金).
    pub credit_limit: String,
    /// Days before takings are overdue.
    pub remit_days: i64,
}

#[derive(Serialize, ToSchema)]
pub struct TermsJson {
    pub credit_limit_fen: i64,
    pub remit_days: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemittanceBody {
    pub station: String,
    /// In 元.
    pub amount: String,
    /// cash, transfer or bank_debit.
    pub method: String,
    #[serde(default)]
    pub reference: String,
    /// YYYY-MM-DD.
    pub paid_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct RemittanceJson {
    pub id: i64,
    pub station: String,
    pub amount_fen: i64,
    pub method: String,
    pub reference: String,
    pub paid_on: String,
    pub recorded_by: String,
}

impl From<RemittanceRow> for RemittanceJson {
    fn from(r: RemittanceRow) -> RemittanceJson {
        RemittanceJson {
            id: r.id,
            station: r.station_code,
            amount_fen: r.amount.fen(),
            method: r.method,
            reference: r.reference,
            paid_on: r.paid_on,
            recorded_by: r.recorded_by,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BankDebitBody {
    /// The day of the debit (YYYY-MM-DD, not after today).
    pub on: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommissionBody {
    /// True: deducted from what the station owes; false: paid out from the district's bank.
    pub deduct_at_source: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CommissionJson {
    pub station: String,
    pub settled_fen: i64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatementQuery {
    /// First day (YYYY-MM-DD).
    pub from: String,
    /// Last day (YYYY-MM-DD).
    pub to: String,
    /// json (default), csv, xlsx or html (a printable page).
    pub format: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StatementJson {
    pub station: String,
    pub station_name: String,
    pub from: String,
    pub to: String,
    /// What the station owed at the start.
    pub opening_fen: i64,
    pub sales_fen: i64,
    pub cancels_fen: i64,
    pub prizes_paid_fen: i64,
    pub remittances_fen: i64,
    pub commission_deducted_fen: i64,
    pub other_fen: i64,
    /// opening + sales − cancels − prizes paid − remittances − commission deducted + other;
    /// equal to the ledger's balance at the end.
    pub closing_fen: i64,
    pub commission_opening_fen: i64,
    pub commission_earned_fen: i64,
    pub commission_settled_fen: i64,
    pub commission_closing_fen: i64,
    pub remittance_lines: Vec<RemittanceJson>,
    pub credit_limit_fen: Option<i64>,
}

impl From<StationStatement> for StatementJson {
    fn from(s: StationStatement) -> StatementJson {
        StatementJson {
            station: s.station,
            station_name: s.station_name,
            from: s.from,
            to: s.to,
            opening_fen: s.opening.fen(),
            sales_fen: s.sales.fen(),
            cancels_fen: s.cancels.fen(),
            prizes_paid_fen: s.prizes_paid.fen(),
            remittances_fen: s.remittances.fen(),
            commission_deducted_fen: s.commission_deducted.fen(),
            other_fen: s.other.fen(),
            closing_fen: s.closing.fen(),
            commission_opening_fen: s.commission_opening.fen(),
            commission_earned_fen: s.commission_earned.fen(),
            commission_settled_fen: s.commission_settled.fen(),
            commission_closing_fen: s.commission_closing.fen(),
            remittance_lines: s
                .remittance_lines
                .into_iter()
                .map(RemittanceJson::from)
                .collect(),
            credit_limit_fen: s.credit_limit.map(|m| m.fen()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OverdueJson {
    pub station: String,
    pub name: String,
    pub owed_fen: i64,
    pub overdue_fen: i64,
    pub remit_days: i64,
    pub credit_limit_fen: Option<i64>,
}

impl From<OverdueStation> for OverdueJson {
    fn from(o: OverdueStation) -> OverdueJson {
        OverdueJson {
            station: o.station,
            name: o.name,
            owed_fen: o.owed.fen(),
            overdue_fen: o.overdue.fen(),
            remit_days: o.remit_days,
            credit_limit_fen: o.credit_limit.map(|m| m.fen()),
        }
    }
}
