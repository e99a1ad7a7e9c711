//! Station money (站点资金): each station's sales account — what it owes the center for its
//! sales (the ledger's `station/<code>/receivable`), against a credit limit set by its deposit
//! (保证金: sales beyond it are refused in the sale's own transaction); remittances (缴款) that
//! restore it; the commission it earns (`station/<code>/commission`) paid out or deducted at
//! source; the statement (对账单) of a period, built from the ledger and checked against it;
//! and the overdue list: takings older than the station's days to remit, not yet remitted.

use std::collections::BTreeMap;

use chrono::Duration;
use fucai_ledger::{AccountCode, Fund, JournalEntry, Money};
use fucai_store::{AccountMovement, NewRemittance, RemittanceRow, StationRow, StationTerms};
use serde::Serialize;

use super::training::period;
use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::journal::{entry, posting};
use crate::principal::{Access, Principal, Role};
use crate::registers::parse_date;
use crate::tabular::{write_table, Format};
use crate::{beijing_date, beijing_day_start_ms, App};

/// Set terms, record remittances, settle commission.
pub const FINANCE_STAFF: &[Role] = &[Role::Admin, Role::Finance];
/// Read statements and the overdue list (station owners: their own statement).
pub const MONEY_READERS: &[Role] = &[Role::Admin, Role::Finance, Role::Auditor];
/// Days to remit where the center set none.
pub const DEFAULT_REMIT_DAYS: i64 = 7;
const REMITTANCE_METHODS: [&str; 3] = ["cash", "transfer", "bank_debit"];

fn receivable(code: &str) -> AccountCode {
    AccountCode::new("station", code, Fund::Receivable)
}

fn commission(code: &str) -> AccountCode {
    AccountCode::new("station", code, Fund::Commission)
}

/// A station's statement (对账单) of a period: what it owed at the start, what moved, what it
/// owes at the end — and its commission likewise. Credits of the commission account are
/// shown as positive amounts earned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StationStatement {
    pub station: String,
    pub station_name: String,
    pub from: String,
    pub to: String,
    pub opening: Money,
    /// Tickets sold and upstream daily sales.
    pub sales: Money,
    pub cancels: Money,
    /// Prizes the station paid out of its takings.
    pub prizes_paid: Money,
    pub remittances: Money,
    pub commission_deducted: Money,
    /// Anything else that moved the account.
    pub other: Money,
    pub closing: Money,
    pub commission_opening: Money,
    pub commission_earned: Money,
    pub commission_settled: Money,
    pub commission_closing: Money,
    pub remittance_lines: Vec<RemittanceRow>,
    pub credit_limit: Option<Money>,
}

impl StationStatement {
    /// What the station owes, item by item, as every form of the statement shows it.
    pub fn owed_lines(&self) -> [(&'static str, Money); 8] {
        [
            ("期初应缴", self.opening),
            ("本期销售", self.sales),
            ("注销", self.cancels),
            ("站点兑奖", self.prizes_paid),
            ("缴款", self.remittances),
            ("代销费抵扣", self.commission_deducted),
            ("其他", self.other),
            ("期末应缴", self.closing),
        ]
    }

    /// Its commission, item by item.
    pub fn commission_lines(&self) -> [(&'static str, Money); 4] {
        [
            ("代销费期初", self.commission_opening),
            ("代销费本期计提", self.commission_earned),
            ("代销费本期结算", self.commission_settled),
            ("代销费期末", self.commission_closing),
        ]
    }
}

/// A station owing takings older than its days to remit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OverdueStation {
    pub station: String,
    pub name: String,
    pub owed: Money,
    /// Owed beyond what became owed in the last `remit_days` days (paid oldest first).
    pub overdue: Money,
    pub remit_days: i64,
    pub credit_limit: Option<Money>,
}

#[derive(Clone, Debug, Default)]
pub struct RemittanceInput {
    pub station: String,
    pub amount: Money,
    /// cash, transfer or bank_debit.
    pub method: String,
    pub reference: String,
    /// YYYY-MM-DD.
    pub paid_on: String,
}

/// Writes a remittance, its ledger entry (posted on the day it was paid, like upstream sales
/// on theirs, so that a statement's remittance lines and total agree) and its audit record.
fn post_remittance(
    tx: &mut dyn fucai_store::Writes,
    chain: &fucai_store::StationChain,
    m: &NewRemittance<'_>,
    paid_on: chrono::NaiveDate,
    now: i64,
) -> AppResult<i64> {
    let code = &chain.station.code;
    let id = tx.insert_remittance(m, now)?;
    let remit = entry(
        format!("remittance:{id}"),
        format!("站点缴款 {code} {}", m.paid_on),
        vec![
            posting(
                AccountCode::new("district", &chain.district_code, Fund::Bank),
                m.amount,
                None,
            ),
            posting(receivable(code), -m.amount, None),
        ],
    )?;
    tx.post_entry(&remit, "remittance", None, beijing_day_start_ms(paid_on))?;
    tx.audit(
        now,
        m.recorded_by,
        "station.remittance",
        &format!("{code} remittance:{id}"),
        format!("{} {} {}", m.amount.fen(), m.method, m.paid_on).as_bytes(),
    )?;
    Ok(id)
}

fn sum_kind(moves: &[AccountMovement], account: &str, kinds: &[&str]) -> AppResult<Money> {
    Ok(Money::checked_sum(
        moves
            .iter()
            .filter(|m| m.account == account && kinds.contains(&m.kind.as_str()))
            .map(|m| m.amount),
    )?)
}

impl App {
    fn station_chain_of(&self, code: &str) -> AppResult<fucai_store::StationChain> {
        Ok(self.store.read(|r| {
            let station = r.station_by_code(code)?;
            r.station_chain(station.id)
        })?)
    }

    fn station_for_money(&self, who: &Principal, code: &str) -> AppResult<StationRow> {
        let station = self.store.read(|r| r.station_by_code(code))?;
        who.require(Access::Roles(super::STATION_OWNERS), Some(station.id))
            .or_else(|_| who.require(Access::Roles(MONEY_READERS), None))?;
        Ok(station)
    }

    /// Sets a station's credit limit (its deposit) and days to remit.
    pub async fn set_station_terms(
        &self,
        who: &Principal,
        code: &str,
        credit_limit: Money,
        remit_days: i64,
    ) -> AppResult<StationTerms> {
        who.require(Access::Roles(FINANCE_STAFF), None)?;
        if credit_limit.is_negative() {
            return Err(AppError::invalid("credit_limit", "at least 0"));
        }
        if !(1..=60).contains(&remit_days) {
            return Err(AppError::invalid("remit_days", "from 1 to 60 days"));
        }
        self.store.read(|r| r.station_by_code(code))?;
        let terms = StationTerms {
            credit_limit,
            remit_days,
        };
        let (actor, code) = (who.actor(), code.to_string());
        self.writes
            .run(move |tx| {
                let now = now_ms();
                tx.set_station_terms(&code, &terms, &actor, now)?;
                tx.audit(
                    now,
                    &actor,
                    "station.terms",
                    &code,
                    format!("{} {}", terms.credit_limit.fen(), terms.remit_days).as_bytes(),
                )?;
                Ok(terms)
            })
            .await
    }

    /// Records a remittance (缴款): the district's bank receives it, the station owes that
    /// much less. A remittance above what the station owes is refused.
    pub async fn record_remittance(
        &self,
        who: &Principal,
        input: RemittanceInput,
    ) -> AppResult<RemittanceRow> {
        who.require(Access::Roles(FINANCE_STAFF), None)?;
        if input.amount <= Money::ZERO {
            return Err(AppError::invalid("amount", "more than 0"));
        }
        if !REMITTANCE_METHODS.contains(&input.method.as_str()) {
            return Err(AppError::invalid("method", "cash, transfer or bank_debit"));
        }
        let paid_on = parse_date(&input.paid_on).ok_or_else(|| {
            AppError::invalid(
                "paid_on",
                format!("'{}' is not a date (YYYY-MM-DD)", input.paid_on),
            )
        })?;
        if paid_on > beijing_date(now_ms()) {
            return Err(AppError::invalid("paid_on", "not after today"));
        }
        if input.reference.chars().count() > 100 {
            return Err(AppError::invalid("reference", "at most 100 characters"));
        }
        let chain = self.station_chain_of(&input.station)?;
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let code = &chain.station.code;
                let owed = tx.balance_now(receivable(code).as_str())?;
                if input.amount > owed {
                    return Err(AppError::Refused(format!(
                        "station {code} owes {owed}: a remittance of {} is more than that",
                        input.amount
                    )));
                }
                let id = post_remittance(
                    tx,
                    &chain,
                    &NewRemittance {
                        station_code: code,
                        amount: input.amount,
                        method: &input.method,
                        reference: input.reference.trim(),
                        paid_on: &input.paid_on,
                        recorded_by: &actor,
                    },
                    paid_on,
                    now,
                )?;
                Ok(tx.reader().remittance(id)?)
            })
            .await
    }

    /// The periodic bank debit (银行代扣): every station with an account agreement (terms
    /// set) that owes anything has all of it debited from its bank account as of `on`, one
    /// remittance each, all in one unit of work. Returns the remittances recorded.
    pub async fn debit_stations(&self, who: &Principal, on: &str) -> AppResult<Vec<RemittanceRow>> {
        who.require(Access::Roles(FINANCE_STAFF), None)?;
        let day = parse_date(on)
            .ok_or_else(|| AppError::invalid("on", format!("'{on}' is not a date (YYYY-MM-DD)")))?;
        if day > beijing_date(now_ms()) {
            return Err(AppError::invalid("on", "not after today"));
        }
        let stations: Vec<fucai_store::StationChain> = self
            .store
            .read(|r| r.all_station_terms())?
            .into_iter()
            .map(|(code, _)| self.station_chain_of(&code))
            .collect::<AppResult<_>>()?;
        let (actor, on) = (who.actor(), on.to_string());
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let mut debited = Vec::new();
                for chain in &stations {
                    let code = &chain.station.code;
                    let owed = tx.balance_now(receivable(code).as_str())?;
                    if owed <= Money::ZERO {
                        continue;
                    }
                    let remittance = NewRemittance {
                        station_code: code,
                        amount: owed,
                        method: "bank_debit",
                        reference: "periodic bank debit",
                        paid_on: &on,
                        recorded_by: &actor,
                    };
                    let id = post_remittance(tx, chain, &remittance, day, now)?;
                    debited.push(tx.reader().remittance(id)?);
                }
                Ok(debited)
            })
            .await
    }

    /// Settles the commission a station has earned: deducted from what it owes (at source),
    /// or paid out from the district's bank. Returns the amount settled.
    pub async fn settle_commission(
        &self,
        who: &Principal,
        code: &str,
        deduct_at_source: bool,
    ) -> AppResult<Money> {
        who.require(Access::Roles(FINANCE_STAFF), None)?;
        let chain = self.station_chain_of(code)?;
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let code = &chain.station.code;
                // A credit balance: what the center owes the station.
                let earned = -tx.balance_now(commission(code).as_str())?;
                if earned <= Money::ZERO {
                    return Err(AppError::Refused(format!(
                        "station {code} has no commission to settle"
                    )));
                }
                let (to, how) = if deduct_at_source {
                    (receivable(code), "抵扣应缴款")
                } else {
                    (
                        AccountCode::new("district", &chain.district_code, Fund::Bank),
                        "银行支付",
                    )
                };
                let settle: JournalEntry = entry(
                    format!("commission:{code}:{now}"),
                    format!("站点代销费结算 {code} {how}"),
                    vec![
                        posting(commission(code), earned, None),
                        posting(to, -earned, None),
                    ],
                )?;
                tx.post_entry(&settle, "commission", None, now)?;
                tx.audit(
                    now,
                    &actor,
                    "station.commission",
                    code,
                    format!("{} {how}", earned.fen()).as_bytes(),
                )?;
                Ok(earned)
            })
            .await
    }

    /// A station's statement of a period (both days included, Beijing time), from the ledger;
    /// its closing balance is checked against the ledger's balance at the period's end.
    pub fn station_statement(
        &self,
        who: &Principal,
        code: &str,
        from: &str,
        to: &str,
    ) -> AppResult<StationStatement> {
        let station = self.station_for_money(who, code)?;
        let (from_day, to_day) = period(from, to)?;
        let (start, end) = (
            beijing_day_start_ms(from_day),
            beijing_day_start_ms(to_day + Duration::days(1)),
        );
        let (rec, com) = (receivable(code), commission(code));
        let (moves, opening, ledger_closing, com_opening, com_closing, remittances, terms) =
            self.store.read(|r| {
                Ok((
                    r.account_movements(&[rec.as_str(), com.as_str()], start, end)?,
                    r.balance_before(rec.as_str(), start)?,
                    r.balance_before(rec.as_str(), end)?,
                    r.balance_before(com.as_str(), start)?,
                    r.balance_before(com.as_str(), end)?,
                    r.remittances(Some(station.id), from, to)?,
                    r.station_terms(station.id)?,
                ))
            })?;
        let rec_code = rec.as_str();
        let sales = sum_kind(&moves, rec_code, &["sale", "daily_sales"])?;
        let cancels = -sum_kind(&moves, rec_code, &["cancel"])?;
        let prizes_paid = -sum_kind(&moves, rec_code, &["claim"])?;
        let remitted = -sum_kind(&moves, rec_code, &["remittance"])?;
        let deducted = -sum_kind(&moves, rec_code, &["commission"])?;
        let known = [
            "sale",
            "daily_sales",
            "cancel",
            "claim",
            "remittance",
            "commission",
        ];
        let other = Money::checked_sum(
            moves
                .iter()
                .filter(|m| m.account == rec_code && !known.contains(&m.kind.as_str()))
                .map(|m| m.amount),
        )?;
        let closing = Money::checked_sum([
            opening,
            sales,
            -cancels,
            -prizes_paid,
            -remitted,
            -deducted,
            other,
        ])?;
        if closing != ledger_closing {
            return Err(AppError::internal(format!(
                "station {code}'s statement closes at {closing} but its ledger account at {ledger_closing}"
            )));
        }
        let com_code = com.as_str();
        let earned = -sum_kind(
            &moves,
            com_code,
            &["sale", "daily_sales", "cancel", "claim"],
        )?;
        let settled = sum_kind(&moves, com_code, &["commission"])?;
        Ok(StationStatement {
            station: station.code,
            station_name: station.name,
            from: from.to_string(),
            to: to.to_string(),
            opening,
            sales,
            cancels,
            prizes_paid,
            remittances: remitted,
            commission_deducted: deducted,
            other,
            closing,
            commission_opening: -com_opening,
            commission_earned: earned,
            commission_settled: settled,
            commission_closing: -com_closing,
            remittance_lines: remittances,
            credit_limit: terms.map(|t| t.credit_limit),
        })
    }

    /// The statement as a spreadsheet (CSV or XLSX): one line per item, amounts in 元.
    pub fn export_statement(&self, s: &StationStatement, format: Format) -> AppResult<Vec<u8>> {
        let mut rows: Vec<Vec<String>> = s
            .owed_lines()
            .into_iter()
            .chain(s.commission_lines())
            .map(|(k, v)| vec![k.to_string(), v.display_plain(), String::new()])
            .collect();
        for r in &s.remittance_lines {
            rows.push(vec![
                format!("缴款 {} {}", r.paid_on, r.method),
                r.amount.display_plain(),
                r.reference.clone(),
            ]);
        }
        write_table(format, "对账单", &["项目", "金额（元）", "备注"], &rows)
    }

    /// Stations owing takings older than their days to remit, most overdue first.
    pub fn overdue_stations(&self, who: &Principal) -> AppResult<Vec<OverdueStation>> {
        who.require(Access::Roles(MONEY_READERS), None)?;
        let now = now_ms();
        let (stations, terms, balances) = self
            .store
            .read(|r| Ok((r.stations()?, r.all_station_terms()?, r.balances()?)))?;
        let terms: BTreeMap<String, StationTerms> = terms.into_iter().collect();
        let owed: BTreeMap<String, Money> =
            balances.into_iter().map(|b| (b.code, b.balance)).collect();
        let days_of = |code: &str| terms.get(code).map_or(DEFAULT_REMIT_DAYS, |t| t.remit_days);
        // What became owed recently, read once per distinct number of days to remit (usually
        // one or two), not once per station.
        let mut recent: BTreeMap<i64, BTreeMap<String, Money>> = BTreeMap::new();
        for days in stations.iter().map(|s| days_of(&s.code)) {
            if let std::collections::btree_map::Entry::Vacant(slot) = recent.entry(days) {
                let since = beijing_day_start_ms(beijing_date(now) - Duration::days(days));
                let debits = self.store.read(|r| r.receivable_debits_since(since))?;
                slot.insert(debits.into_iter().collect());
            }
        }
        let mut out = Vec::new();
        for s in stations {
            let days = days_of(&s.code);
            let owed = owed
                .get(receivable(&s.code).as_str())
                .copied()
                .unwrap_or(Money::ZERO);
            let recent = recent[&days].get(&s.code).copied().unwrap_or(Money::ZERO);
            let overdue = owed.checked_sub(recent)?;
            if overdue > Money::ZERO {
                out.push(OverdueStation {
                    station: s.code.clone(),
                    name: s.name,
                    owed,
                    overdue,
                    remit_days: days,
                    credit_limit: terms.get(&s.code).map(|t| t.credit_limit),
                });
            }
        }
        out.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then_with(|| a.station.cmp(&b.station))
        });
        Ok(out)
    }
}
