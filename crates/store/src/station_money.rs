//! Station money: a station's account terms (credit limit, days to remit), its remittances,
//! and the ledger reads its statement and the overdue list are made of.

use fucai_ledger::Money;
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use crate::{Reader, StoreError, StoreResult, WriteTx};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StationTerms {
    /// Most the station may owe (its deposit, 保证金): sales beyond it are refused.
    pub credit_limit: Money,
    /// Takings older than this many days are overdue.
    pub remit_days: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RemittanceRow {
    pub id: i64,
    pub station_code: String,
    pub amount: Money,
    /// cash, transfer or bank_debit.
    pub method: String,
    pub reference: String,
    pub paid_on: String,
    pub recorded_by: String,
}

#[derive(Clone, Debug)]
pub struct NewRemittance<'a> {
    pub station_code: &'a str,
    pub amount: Money,
    pub method: &'a str,
    pub reference: &'a str,
    pub paid_on: &'a str,
    pub recorded_by: &'a str,
}

/// One account's movements of one kind of entry in a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccountMovement {
    pub account: String,
    /// The journal entry's kind: sale, cancel, daily_sales, claim, remittance, commission, …
    pub kind: String,
    pub amount: Money,
    pub entries: i64,
}

const REMITTANCE_SELECT: &str =
    "SELECT m.id, s.code, m.amount_fen, m.method, m.reference, m.paid_on, m.recorded_by
    FROM remittances m JOIN stations s ON s.id = m.station_id";

fn remittance_row(r: &Row<'_>) -> rusqlite::Result<RemittanceRow> {
    Ok(RemittanceRow {
        id: r.get(0)?,
        station_code: r.get(1)?,
        amount: r.get(2)?,
        method: r.get(3)?,
        reference: r.get(4)?,
        paid_on: r.get(5)?,
        recorded_by: r.get(6)?,
    })
}

impl StationMoneyReads for Reader<'_> {
    fn station_terms(&self, station_id: i64) -> StoreResult<Option<StationTerms>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT credit_limit_fen, remit_days FROM station_accounts WHERE station_id = ?1",
            )?
            .query_row([station_id], |r| {
                Ok(StationTerms {
                    credit_limit: r.get(0)?,
                    remit_days: r.get(1)?,
                })
            })
            .optional()?)
    }

    fn all_station_terms(&self) -> StoreResult<Vec<(String, StationTerms)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.code, a.credit_limit_fen, a.remit_days FROM station_accounts a JOIN stations s ON s.id = a.station_id ORDER BY s.code",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                StationTerms {
                    credit_limit: r.get(1)?,
                    remit_days: r.get(2)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn remittances(
        &self,
        station_id: Option<i64>,
        from: &str,
        to: &str,
    ) -> StoreResult<Vec<RemittanceRow>> {
        let sql = format!(
            "{REMITTANCE_SELECT} WHERE (?1 IS NULL OR m.station_id = ?1) AND m.paid_on BETWEEN ?2 AND ?3 ORDER BY m.paid_on, m.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![station_id, from, to], remittance_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn remittance(&self, id: i64) -> StoreResult<RemittanceRow> {
        let sql = format!("{REMITTANCE_SELECT} WHERE m.id = ?1");
        self.conn
            .prepare_cached(&sql)?
            .query_row([id], remittance_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("remittance #{id}")))
    }

    fn account_movements(
        &self,
        accounts: &[&str],
        from_ms: i64,
        to_ms: i64,
    ) -> StoreResult<Vec<AccountMovement>> {
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.kind, SUM(l.amount_fen), COUNT(DISTINCT e.id) FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
             WHERE l.account = ?1 AND e.posted_at >= ?2 AND e.posted_at < ?3 GROUP BY e.kind ORDER BY e.kind",
        )?;
        for account in accounts {
            let rows = stmt.query_map(params![account, from_ms, to_ms], |r| {
                Ok(AccountMovement {
                    account: account.to_string(),
                    kind: r.get(0)?,
                    amount: r.get(1)?,
                    entries: r.get(2)?,
                })
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }

    fn balance_before(&self, account: &str, before_ms: i64) -> StoreResult<Money> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT COALESCE(SUM(l.amount_fen), 0) FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
                 WHERE l.account = ?1 AND e.posted_at < ?2",
            )?
            .query_row(params![account, before_ms], |r| r.get(0))?)
    }

    fn receivable_debits_since(&self, since_ms: i64) -> StoreResult<Vec<(String, Money)>> {
        // One pass over the period's lines for every station (`station/<code>/receivable`).
        let mut stmt = self.conn.prepare_cached(
            "SELECT substr(l.account, 9, length(l.account) - 19), SUM(l.amount_fen)
             FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
             WHERE e.posted_at >= ?1 AND l.amount_fen > 0 AND l.account LIKE 'station/%/receivable'
             GROUP BY l.account",
        )?;
        let rows = stmt.query_map([since_ms], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl StationMoneyWrites for WriteTx<'_> {
    fn set_station_terms(
        &mut self,
        station_code: &str,
        terms: &StationTerms,
        by: &str,
        at: i64,
    ) -> StoreResult<()> {
        self.reference_changed();
        let station = self.id_of("stations", station_code)?;
        self.tx
            .prepare_cached(
                "INSERT INTO station_accounts (station_id, credit_limit_fen, remit_days, set_by, set_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (station_id) DO UPDATE SET credit_limit_fen = excluded.credit_limit_fen,
                   remit_days = excluded.remit_days, set_by = excluded.set_by, set_at = excluded.set_at",
            )?
            .execute(params![station, terms.credit_limit, terms.remit_days, by, at])?;
        Ok(())
    }

    fn insert_remittance(&mut self, m: &NewRemittance<'_>, at: i64) -> StoreResult<i64> {
        let station = self.id_of("stations", m.station_code)?;
        self.tx
            .prepare_cached(
                "INSERT INTO remittances (station_id, amount_fen, method, reference, paid_on, recorded_by, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![station, m.amount, m.method, m.reference, m.paid_on, m.recorded_by, at])?;
        Ok(self.tx.last_insert_rowid())
    }
}

/// The reads of station money. SQLite implements it on [`Reader`](crate::Reader).
pub trait StationMoneyReads {
    fn station_terms(&self, station_id: i64) -> StoreResult<Option<StationTerms>>;
    /// Every station with terms set, by code.
    fn all_station_terms(&self) -> StoreResult<Vec<(String, StationTerms)>>;
    /// Remittances paid between two days, of one station or all.
    fn remittances(
        &self,
        station_id: Option<i64>,
        from: &str,
        to: &str,
    ) -> StoreResult<Vec<RemittanceRow>>;
    fn remittance(&self, id: i64) -> StoreResult<RemittanceRow>;
    /// Each account's movements in `[from_ms, to_ms)` by kind of entry (debits positive).
    fn account_movements(
        &self,
        accounts: &[&str],
        from_ms: i64,
        to_ms: i64,
    ) -> StoreResult<Vec<AccountMovement>>;
    /// An account's balance from its entries posted before `before_ms`.
    fn balance_before(&self, account: &str, before_ms: i64) -> StoreResult<Money>;
    /// Each station's receivable debits from `since_ms` on (what became owed), by station code;
    /// stations without any are left out.
    fn receivable_debits_since(&self, since_ms: i64) -> StoreResult<Vec<(String, Money)>>;
}

/// The writes of station money.
pub trait StationMoneyWrites {
    /// Sets (or changes) a station's credit limit and days to remit.
    fn set_station_terms(
        &mut self,
        station_code: &str,
        terms: &StationTerms,
        by: &str,
        at: i64,
    ) -> StoreResult<()>;
    fn insert_remittance(&mut self, m: &NewRemittance<'_>, at: i64) -> StoreResult<i64>;
}
