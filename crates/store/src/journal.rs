//! Journal entries, account balances and the ledger's self-check.

use fucai_ledger::{fund_of, AccountCode, Fund, JournalEntry, Money, NormalSide, Posting};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::registers::duplicate;
use crate::{Reader, StoreError, StoreResult, WriteTx, SALE_AUDIT_ACTION};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccountBalance {
    pub code: String,
    pub normal_side: String,
    pub balance: Money,
}

/// The outcome of `fucai ledger verify`: each check with what it found.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LedgerCheck {
    pub entries: i64,
    pub unbalanced_entries: Vec<i64>,
    /// Accounts whose stored balance differs from the sum of their lines: (code, stored, lines).
    pub balance_mismatches: Vec<(String, Money, Money)>,
    /// Sold (not cancelled) ticket amounts vs the receivable posted for them.
    pub tickets_total: Money,
    pub ticket_postings: Money,
    /// Tickets without their sale entry, and sale entries without their ticket.
    pub tickets_without_entry: i64,
    pub entries_without_ticket: i64,
    /// Tickets without their `ticket.sell` audit record, and such records without their
    /// ticket (a sale deleted with its entry and balance movements still has its record).
    pub tickets_without_sale_record: i64,
    pub sale_records_without_ticket: i64,
    /// 中福在线: the amount wagered in the hall closes in force vs the receivable posted for
    /// them (each correction's reversal included).
    pub hall_sales_total: Money,
    pub hall_sales_postings: Money,
    /// 即开票: the face value of the packs whose sales are recognised vs the receivable
    /// posted for them, and the prizes paid vs what left the prize fund for them.
    pub instant_sales_total: Money,
    pub instant_sales_postings: Money,
    pub instant_prizes_total: Money,
    pub instant_prize_postings: Money,
}

impl LedgerCheck {
    pub fn is_ok(&self) -> bool {
        self.unbalanced_entries.is_empty()
            && self.balance_mismatches.is_empty()
            && self.tickets_total == self.ticket_postings
            && self.tickets_without_entry == 0
            && self.entries_without_ticket == 0
            && self.tickets_without_sale_record == 0
            && self.sale_records_without_ticket == 0
            && self.hall_sales_total == self.hall_sales_postings
            && self.instant_sales_total == self.instant_sales_postings
            && self.instant_prizes_total == self.instant_prize_postings
    }
}

impl JournalReads for Reader<'_> {
    fn draw_account_total(&self, code: &str, draw_id: i64) -> StoreResult<Money> {
        Ok(self
            .conn
            .prepare_cached("SELECT COALESCE(SUM(amount_fen), 0) FROM journal_lines WHERE account = ?1 AND draw_id = ?2")?
            .query_row(params![code, draw_id], |r| r.get(0))?)
    }
    fn account_balance(&self, code: &str) -> StoreResult<Money> {
        Ok(self
            .conn
            .prepare_cached("SELECT balance_fen FROM accounts WHERE code = ?1")?
            .query_row([code], |r| r.get(0))
            .optional()?
            .unwrap_or(Money::ZERO))
    }
    fn balances(&self) -> StoreResult<Vec<AccountBalance>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT code, normal_side, balance_fen FROM accounts ORDER BY code")?;
        let rows = stmt.query_map([], |r| {
            Ok(AccountBalance {
                code: r.get(0)?,
                normal_side: r.get(1)?,
                balance: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn entry_exists(&self, key: &str) -> StoreResult<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM journal_entries WHERE entry_key = ?1")?
            .query_row([key], |_| Ok(()))
            .optional()?
            .is_some())
    }

    fn verify_ledger(&self) -> StoreResult<LedgerCheck> {
        let mut check = LedgerCheck {
            entries: self
                .conn
                .query_row("SELECT COUNT(*) FROM journal_entries", [], |r| r.get(0))?,
            ..Default::default()
        };
        let mut stmt = self.conn.prepare(
            "SELECT e.id FROM journal_entries e LEFT JOIN journal_lines l ON l.entry_id = e.id GROUP BY e.id
             HAVING COALESCE(SUM(l.amount_fen), 0) <> 0 OR COUNT(l.entry_id) = 0",
        )?;
        check.unbalanced_entries = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT a.code, a.balance_fen, COALESCE(SUM(l.amount_fen), 0) FROM accounts a LEFT JOIN journal_lines l ON l.account = a.code
             GROUP BY a.code, a.balance_fen HAVING a.balance_fen <> COALESCE(SUM(l.amount_fen), 0)",
        )?;
        check.balance_mismatches = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        check.tickets_total = self.conn.query_row(
            "SELECT COALESCE(SUM(amount_fen), 0) FROM tickets WHERE status = 'sold'",
            [],
            |r| r.get(0),
        )?;
        check.ticket_postings = self.conn.query_row(
            "SELECT COALESCE(SUM(l.amount_fen), 0) FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
             WHERE e.kind IN ('sale', 'cancel') AND l.account LIKE 'station/%/receivable'",
            [],
            |r| r.get(0),
        )?;
        // The key is `sales::sale_entry_key`.
        check.tickets_without_entry = self.conn.query_row(
            "SELECT COUNT(*) FROM tickets k WHERE NOT EXISTS
             (SELECT 1 FROM journal_entries e WHERE e.entry_key = 'sale:' || k.serial AND e.ticket_id = k.id AND e.kind = 'sale')",
            [],
            |r| r.get(0),
        )?;
        check.entries_without_ticket = self.conn.query_row(
            "SELECT COUNT(*) FROM journal_entries e WHERE e.kind IN ('sale', 'cancel') AND NOT EXISTS (SELECT 1 FROM tickets k WHERE k.id = e.ticket_id)",
            [],
            |r| r.get(0),
        )?;
        // Set differences (sorted once each), not a lookup per ticket: the audit log has no
        // index by object.
        check.tickets_without_sale_record = self.conn.query_row(
            "SELECT COUNT(*) FROM (SELECT serial FROM tickets
             EXCEPT SELECT object FROM audit_log WHERE action = ?1)",
            [SALE_AUDIT_ACTION],
            |r| r.get(0),
        )?;
        check.sale_records_without_ticket = self.conn.query_row(
            "SELECT COUNT(*) FROM (SELECT object FROM audit_log WHERE action = ?1
             EXCEPT SELECT serial FROM tickets)",
            [SALE_AUDIT_ACTION],
            |r| r.get(0),
        )?;
        check.hall_sales_total = self.conn.query_row(
            "SELECT COALESCE(SUM(wagered_fen), 0) FROM hall_days WHERE current = 1",
            [],
            |r| r.get(0),
        )?;
        check.hall_sales_postings = self.conn.query_row(
            "SELECT COALESCE(SUM(l.amount_fen), 0) FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
             WHERE e.kind IN ('hall_sales', 'hall_sales_reversal') AND l.account LIKE 'station/%/receivable'",
            [],
            |r| r.get(0),
        )?;
        let total =
            |sql: &str| -> StoreResult<Money> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        check.instant_sales_total =
            total("SELECT COALESCE(SUM(sales_fen), 0) FROM instant_packs WHERE sales_posted_at IS NOT NULL")?;
        check.instant_sales_postings = total(
            "SELECT COALESCE(SUM(l.amount_fen), 0) FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
             WHERE e.kind = 'instant_sales' AND l.account LIKE 'station/%/receivable'",
        )?;
        check.instant_prizes_total =
            total("SELECT COALESCE(SUM(prize_fen), 0) FROM instant_claims")?;
        check.instant_prize_postings = total(
            "SELECT COALESCE(SUM(l.amount_fen), 0) FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
             WHERE e.kind = 'instant_claim' AND l.account = 'national/instant/prize'",
        )?;
        Ok(check)
    }

    fn receivable_by_kind(&self, from_ms: i64, to_ms: i64) -> StoreResult<Vec<(String, Money)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.kind, COALESCE(SUM(l.amount_fen), 0) FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
             WHERE l.account LIKE 'station/%/receivable' AND e.posted_at >= ?1 AND e.posted_at < ?2
             GROUP BY e.kind ORDER BY e.kind",
        )?;
        let rows = stmt.query_map(params![from_ms, to_ms], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// (normal side, no-overdraft) of a posting's account, from its fund. The welfare fund is
/// spent only from what it holds (grants never overdraw it).
fn account_kind(p: &Posting) -> (&'static str, bool) {
    let fund = fund_of(&p.account);
    let side = match fund.map(Fund::normal_side) {
        Some(NormalSide::Debit) => "debit",
        _ => "credit",
    };
    (side, fund.is_some_and(Fund::no_overdraft))
}

/// A balance movement waiting for the commit.
#[derive(Clone, Debug)]
pub(crate) struct PendingBalance {
    pub normal_side: &'static str,
    pub no_overdraft: bool,
    pub delta_fen: i64,
}

impl JournalWrites for WriteTx<'_> {
    fn post_entry(
        &mut self,
        entry: &JournalEntry,
        kind: &str,
        ticket_id: Option<i64>,
        at: i64,
    ) -> StoreResult<i64> {
        self.tx
            .prepare_cached("INSERT INTO journal_entries (entry_key, kind, ticket_id, memo, posted_at) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![entry.key(), kind, ticket_id, entry.memo(), at])
            .map_err(duplicate(format!("journal entry {}", entry.key())))?;
        let entry_id = self.tx.last_insert_rowid();
        let postings = entry.postings();
        for p in postings {
            self.check_overdraft(p)?;
        }
        // All lines in one statement (a sale has about ten).
        let placeholders = vec!["(?, ?, ?, ?, ?)"; postings.len()].join(", ");
        let sql = format!("INSERT INTO journal_lines (entry_id, line_no, account, draw_id, amount_fen) VALUES {placeholders}");
        let mut values: Vec<rusqlite::types::Value> = Vec::with_capacity(postings.len() * 5);
        for (no, p) in postings.iter().enumerate() {
            values.push(entry_id.into());
            values.push((no as i64).into());
            values.push(p.account.as_str().to_string().into());
            values.push(p.draw.map_or(rusqlite::types::Value::Null, Into::into));
            values.push(p.amount.fen().into());
        }
        self.tx
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values))?;
        for p in postings {
            let (normal_side, no_overdraft) = account_kind(p);
            self.balance_deltas
                .entry(p.account.as_str().to_string())
                .or_insert(PendingBalance {
                    normal_side,
                    no_overdraft,
                    delta_fen: 0,
                })
                .delta_fen += p.amount.fen();
            self.delta_log
                .push((p.account.as_str().to_string(), p.amount.fen()));
        }
        Ok(entry_id)
    }

    fn balance_now(&self, code: &str) -> StoreResult<Money> {
        Ok(Money::from_fen(
            self.stored_balance(code)? + self.pending_balance(code),
        ))
    }

    fn entry_postings(&self, key: &str) -> StoreResult<Vec<Posting>> {
        let id: i64 = self
            .tx
            .prepare_cached("SELECT id FROM journal_entries WHERE entry_key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("journal entry {key}")))?;
        let mut stmt = self.tx.prepare_cached("SELECT account, draw_id, amount_fen FROM journal_lines WHERE entry_id = ?1 ORDER BY line_no")?;
        let lines = stmt.query_map([id], |r| {
            Ok(Posting {
                account: AccountCode::from_stored(r.get(0)?),
                draw: r.get(1)?,
                amount: Money::from_fen(r.get(2)?),
            })
        })?;
        Ok(lines.collect::<Result<_, _>>()?)
    }
}

impl WriteTx<'_> {
    fn stored_balance(&self, code: &str) -> StoreResult<i64> {
        Ok(self
            .tx
            .prepare_cached("SELECT balance_fen FROM accounts WHERE code = ?1")?
            .query_row([code], |r| r.get(0))
            .optional()?
            .unwrap_or(0))
    }

    fn pending_balance(&self, code: &str) -> i64 {
        self.balance_deltas.get(code).map_or(0, |d| d.delta_fen)
    }

    /// Refuses a posting that would take a no-overdraft account past zero, counting what this
    /// transaction has already moved.
    fn check_overdraft(&self, p: &Posting) -> StoreResult<()> {
        let (normal_side, no_overdraft) = account_kind(p);
        let against_normal = (normal_side == "debit") == (p.amount.fen() < 0);
        if !(no_overdraft && against_normal) {
            return Ok(());
        }
        let stored = self.stored_balance(p.account.as_str())?;
        let pending = self.pending_balance(p.account.as_str());
        let after = stored + pending + p.amount.fen();
        let overdrawn = if normal_side == "debit" {
            after < 0
        } else {
            after > 0
        };
        if overdrawn {
            return Err(StoreError::Overdraft {
                account: p.account.to_string(),
            });
        }
        Ok(())
    }

    /// One upsert per account touched by the transaction.
    pub(crate) fn flush_balances(&mut self) -> StoreResult<()> {
        let mut upsert = self.tx.prepare_cached(
            "INSERT INTO accounts (code, normal_side, no_overdraft, balance_fen) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (code) DO UPDATE SET balance_fen = balance_fen + excluded.balance_fen",
        )?;
        for (code, p) in self.balance_deltas.drain() {
            upsert.execute(params![code, p.normal_side, p.no_overdraft, p.delta_fen])?;
        }
        self.delta_log.clear();
        Ok(())
    }
}

/// The reads of journal entries and account balances. SQLite implements it on
/// [`Reader`](crate::Reader); another backend implements it on its own handle.
pub trait JournalReads {
    fn balances(&self) -> StoreResult<Vec<AccountBalance>>;
    fn entry_exists(&self, key: &str) -> StoreResult<bool>;
    /// Every check of the ledger against itself and against the tickets.
    fn verify_ledger(&self) -> StoreResult<LedgerCheck>;
    /// What stations came to owe in `[from_ms, to_ms)`, by kind of entry (sale, cancel,
    /// daily_sales, hall_sales, …): the sales of every channel, from the ledger.
    fn receivable_by_kind(&self, from_ms: i64, to_ms: i64) -> StoreResult<Vec<(String, Money)>>;
    /// Balance of an account (its stored running balance; 0 when never posted to).
    fn account_balance(&self, code: &str) -> StoreResult<Money>;
    /// Sum of an account's postings tagged with one draw.
    fn draw_account_total(&self, code: &str, draw_id: i64) -> StoreResult<Money>;
}

/// The writes (inside a write transaction) of journal entries and account balances. SQLite
/// implements it on [`WriteTx`](crate::WriteTx); another backend implements it on its own handle.
pub trait JournalWrites {
    /// Stores a balanced entry; its accounts' balances move at commit, in the same
    /// transaction. The entry key is the idempotency key: posting it twice is `Duplicate`.
    /// Accounts marked no-overdraft (the welfare fund) never cross to the wrong side of zero.
    fn post_entry(
        &mut self,
        entry: &JournalEntry,
        kind: &str,
        ticket_id: Option<i64>,
        at: i64,
    ) -> StoreResult<i64>;
    /// The postings of the entry with this key (to reverse it).
    fn entry_postings(&self, key: &str) -> StoreResult<Vec<Posting>>;
    /// An account's balance as this transaction sees it: stored, plus what it has posted so
    /// far (balances move at the commit).
    fn balance_now(&self, code: &str) -> StoreResult<Money>;
}
