//! Storage for fucai. The application runs on [`Backend`]: read views, write transactions
//! and write connections, with every repository a trait ([`repo`]: a reads/writes pair per
//! table group, no backend type in any signature). SQLite (WAL) is the embedded
//! implementation ([`Store`], [`Writer`], [`WriteTx`], [`Reader`]); a PostgreSQL backend
//! implements the same traits on its own pool and transactions.
//!
//! Architecture invariants:
//! - migrations run on open, in order, each once;
//! - every write happens inside a transaction opened by a [`WriteConnection`]; a unit of
//!   work runs in a savepoint (`attempt` on [`Writes`]) so that one failing request in a
//!   group commit leaves the others intact;
//! - a journal entry is stored only balanced (the `ledger` type guarantees it) and account
//!   balances move in the same transaction as the entry;
//! - every state change appends to the audit hash chain in the same transaction.

mod activities;
mod articles;
mod audit;
mod backend;
mod campaigns;
mod checkpoint;
mod draws;
mod halls;
mod inspections;
mod instant;
mod journal;
mod model;
mod registers;
mod reports;
mod sales;
mod schema;
mod serial;
mod station_money;
mod status;
mod training;
mod users;
mod welfare;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};

/// The repository interfaces, one pair (reads, writes) per table group. The SQLite backend
/// implements them on [`Reader`] and [`WriteTx`]; `use fucai_store::repo::*` brings them into
/// scope.
pub mod repo {
    pub use crate::activities::{ActivitiesReads, ActivitiesWrites};
    pub use crate::articles::{ArticlesReads, ArticlesWrites};
    pub use crate::audit::{AuditReads, AuditWrites};
    pub use crate::campaigns::{CampaignsReads, CampaignsWrites};
    pub use crate::draws::{DrawsReads, DrawsWrites};
    pub use crate::halls::{HallsReads, HallsWrites};
    pub use crate::inspections::{InspectionsReads, InspectionsWrites};
    pub use crate::instant::{InstantReads, InstantWrites};
    pub use crate::journal::{JournalReads, JournalWrites};
    pub use crate::registers::{RegistersReads, RegistersWrites};
    pub use crate::reports::{HistoryWrites, ReportsReads};
    pub use crate::sales::{SalesReads, SalesWrites};
    pub use crate::station_money::{StationMoneyReads, StationMoneyWrites};
    pub use crate::training::{TrainingReads, TrainingWrites};
    pub use crate::users::{UsersReads, UsersWrites};
    pub use crate::welfare::{WelfareReads, WelfareWrites};
}

pub use activities::{ActivityRow, EvidenceRow, NewActivity};
pub use articles::{ArticleQuery, ArticleRow, NewArticle};
pub use audit::{
    default_audit_key_path, sha256_hex, AuditBreak, AuditHead, AuditKey, AuditQuery, AuditRecord,
};
pub use backend::{Backend, Reads, WriteConnection, Writes};
pub use campaigns::{CampaignRow, RewardRow, StandingRow};
pub use checkpoint::Checkpointer;
pub use draws::{
    CommitmentRow, DrawLine, DrawResultRow, NewClaim, ResultEntryRow, ResultRow, SealRow,
    SettlementRow, TierRow, WinningRow,
};
pub use halls::{HallDayRow, HallRow, NewHall};
pub use inspections::{
    AppealRow, FindingEventRow, FindingRow, FindingSource, NewFinding, NewReturnVisit, NewVisit,
    RatingRow, ReturnVisitRow, VisitPlanRow, VisitRow,
};
pub use instant::{
    InstantBatchRow, InstantOrderRow, NewInstantClaim, PackEventRow, PackMove, PackRow,
    PackSalesRow, StockRow,
};
pub use journal::{AccountBalance, LedgerCheck};
pub use model::*;
pub use reports::{HistoryYear, SalesCell};
pub use sales::{sale_entry_key, DrawQuery, SALE_AUDIT_ACTION};
pub use serial::{BadSerial, Serial};
pub use station_money::{AccountMovement, NewRemittance, RemittanceRow, StationTerms};
pub use status::{
    ActivityKind, ArticleKind, ArticleStatus, CampaignMetric, CampaignStatus, ClaimScope,
    DrawStatus, FindingStatus, GrantStatus, HallStatus, PackState, ProgrammeStatus, RevealMark,
    StationPersonRole, StationStatus, TerminalStatus, TicketStatus, TrainingKind, UnknownStatus,
    VisitKind, WinningStatus,
};
pub use training::{AttendanceRow, NewAttendance, NewTrainingSession, TrainingSessionRow};
pub use welfare::{BeneficiaryRow, GrantRow, NewBeneficiary, NewGrant, ProgrammeRow};

/// Read connections kept open for reuse.
const READ_POOL_SIZE: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{what} not found")]
    NotFound { what: String },
    #[error("{0} already exists")]
    Duplicate(String),
    #[error("account {account} would be overdrawn")]
    Overdraft { account: String },
    /// The database failed (the backend's own error, kept as the source).
    #[error("database: {0}")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("unsupported database url '{0}': use a file path or sqlite://PATH")]
    BadUrl(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    /// The row is not in the state the change needs (e.g. a draw already sealed).
    #[error("{0}")]
    Conflict(String),
    /// The database's filesystem is full: nothing was written; retry once space is freed.
    #[error("the database's disk is full")]
    StorageFull(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The transaction this unit of work was to join was already rolled back (another unit
    /// failed in a way that ended it); nothing of this unit was written.
    #[error("the transaction was rolled back before this unit of work ran")]
    TransactionEnded,
    /// An amount computed on the way in left the money range; nothing was written.
    #[error("amount: {0}")]
    Money(#[from] fucai_ledger::MoneyError),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
            return StoreError::StorageFull(Box::new(e));
        }
        StoreError::Database(Box::new(e))
    }
}

impl StoreError {
    pub fn not_found(what: impl Into<String>) -> StoreError {
        StoreError::NotFound { what: what.into() }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The database: where it lives and a pool of read connections.
pub struct Store {
    path: PathBuf,
    audit_key: Arc<AuditKey>,
    readers: Mutex<Vec<Connection>>,
    reference_version: Arc<AtomicU64>,
}

/// The path of a database URL: `sqlite://PATH`, `sqlite:PATH` or a plain path.
pub fn sqlite_path(url: &str) -> StoreResult<PathBuf> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    if path.is_empty() || url.starts_with("postgres") {
        return Err(StoreError::BadUrl(url.to_string()));
    }
    Ok(PathBuf::from(path))
}

fn open_connection(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // WAL + FULL: a commit is on disk before it returns, so an acknowledged write survives
    // a crash (and a power loss).
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Savepoint journals (one per request in a group commit) stay in memory.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // A small page cache: the hot pages of a write load (the right edges of the tables, one
    // index leaf per terminal) fit, and SQLite walks the whole cache whenever another
    // connection's commit invalidates it, which a large cache makes slow. The OS caches the
    // file for long reads.
    conn.pragma_update(None, "cache_size", -4096)?;
    // The WAL file is cut back to this after a checkpoint has emptied it.
    conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // Every statement fucai runs stays prepared (the default cache holds only 16).
    conn.set_prepared_statement_cache_capacity(256);
    // Query-planner stability: a cached statement keeps its plan whatever values are bound
    // (otherwise, with STAT4, SQLite re-prepares it whenever a bound value changes).
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(conn)
}

impl Store {
    /// Opens (creating if needed) the database and applies pending migrations; the audit
    /// chain's key is read from (or, for a new chain, created as) `<database>.audit-key`.
    pub fn open(url: &str) -> StoreResult<Store> {
        let path = sqlite_path(url)?;
        Store::open_with_audit_key(url, &default_audit_key_path(&path))
    }

    /// Opens the database with the audit chain's key kept in `audit_key_file`.
    pub fn open_with_audit_key(url: &str, audit_key_file: &Path) -> StoreResult<Store> {
        let path = sqlite_path(url)?;
        let mut conn = open_connection(&path)?;
        migrate(&mut conn)?;
        let audit_key = Arc::new(AuditKey::load_or_create(&conn, audit_key_file)?);
        Ok(Store {
            path,
            audit_key,
            readers: Mutex::new(vec![conn]),
            reference_version: Arc::new(AtomicU64::new(0)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Counts the committed transactions of this process that changed reference data:
    /// centers, towns, stations, terminals or the draw calendar (a draw added or moved on).
    /// Whoever keeps a copy of such rows in memory drops it when this moves.
    pub fn reference_version(&self) -> u64 {
        self.reference_version.load(Ordering::Acquire)
    }

    /// A write handle with its own connection. Writes are serialised by SQLite; fucai keeps
    /// one writer per process (the group-commit thread) plus short administrative ones.
    pub fn writer(&self) -> StoreResult<Writer> {
        let conn = open_connection(&self.path)?;
        let head = audit::head(&conn)?;
        Ok(Writer {
            conn,
            audit_head: head,
            audit_key: self.audit_key.clone(),
            reference_version: self.reference_version.clone(),
        })
    }

    /// A connection that copies committed pages from the WAL into the database file, for a
    /// writer that leaves that to another thread ([`Writer::checkpoint_elsewhere`]).
    pub fn checkpointer(&self) -> StoreResult<Checkpointer> {
        Checkpointer::open(self)
    }

    /// Runs `f` with a read connection from the pool, in one read transaction: every query
    /// of `f` sees the same snapshot, and the connection checks the WAL for newer commits
    /// (and drops its stale cache) once rather than per statement.
    pub fn read<T>(&self, f: impl FnOnce(&Reader<'_>) -> StoreResult<T>) -> StoreResult<T> {
        let conn = match self.readers.lock().expect("pool lock").pop() {
            Some(c) => c,
            None => open_connection(&self.path)?,
        };
        conn.prepare_cached("BEGIN")?.execute([])?;
        let result = f(&Reader {
            conn: &conn,
            audit_key: &self.audit_key,
        });
        if !conn.is_autocommit() {
            conn.prepare_cached("ROLLBACK")?.execute([])?;
        }
        let mut pool = self.readers.lock().expect("pool lock");
        if pool.len() < READ_POOL_SIZE {
            pool.push(conn);
        }
        result
    }

    /// Convenience: one write transaction, committed.
    pub fn write<T>(&self, f: impl FnOnce(&mut WriteTx<'_>) -> StoreResult<T>) -> StoreResult<T> {
        let mut writer = self.writer()?;
        let mut tx = writer.transaction()?;
        let value = f(&mut tx)?;
        tx.commit()?;
        Ok(value)
    }
}

fn migrate(conn: &mut Connection) -> StoreResult<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
    )?;
    // A migration that rebuilds a table drops it while others still refer to it: foreign keys
    // are off meanwhile (a no-op inside a transaction, so before it) and checked before the
    // migrations commit.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let migrated = apply_migrations(conn);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrated
}

fn apply_migrations(conn: &mut Connection) -> StoreResult<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for (version, sql) in schema::MIGRATIONS {
        let applied: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?1)",
            [version],
            |r| r.get(0),
        )?;
        if !applied {
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                // When it was applied, by the machine's own clock (not the rules' clock).
                [*version, system_ms()],
            )?;
        }
    }
    let broken: Option<String> = tx
        .query_row(
            "SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(table) = broken {
        return Err(StoreError::Corrupt(format!(
            "after the migrations, rows of {table} refer to rows that do not exist"
        )));
    }
    tx.commit()?;
    Ok(())
}

fn system_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A read-only view.
pub struct Reader<'c> {
    pub(crate) conn: &'c Connection,
    pub(crate) audit_key: &'c AuditKey,
}

/// Owns a write connection and the audit chain's head.
pub struct Writer {
    conn: Connection,
    audit_head: audit::Head,
    audit_key: Arc<AuditKey>,
    reference_version: Arc<AtomicU64>,
}

impl Writer {
    /// Stops this connection from checkpointing when the WAL grows past its threshold: the
    /// commit that crosses it would otherwise copy the WAL into the database file while
    /// every request of its batch waits. A [`Checkpointer`] on another thread does it.
    pub fn checkpoint_elsewhere(&self) -> StoreResult<()> {
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(())
    }

    /// Copies what the [`Checkpointer`] has not yet copied, between two transactions. The WAL
    /// starts over from its beginning only when a write transaction begins with every frame
    /// copied, which under steady load happens only if the writer itself catches up; otherwise
    /// the file grows for as long as the load lasts.
    pub fn catch_up_checkpoint(&self) -> StoreResult<(i64, i64)> {
        checkpoint::passive_checkpoint(&self.conn)
    }

    /// Opens an IMMEDIATE transaction (takes the write lock now, not at the first write) and
    /// reads the audit chain's head under that lock, so several writers chain correctly.
    pub fn transaction(&mut self) -> StoreResult<WriteTx<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        self.audit_head = audit::head(&tx)?;
        Ok(WriteTx {
            tx,
            audit_head: &mut self.audit_head,
            audit_key: &self.audit_key,
            balance_deltas: HashMap::new(),
            delta_log: Vec::new(),
            poisoned: false,
            units: Vec::new(),
            next_ticket_id: None,
            reference_changed: false,
            reference_version: &self.reference_version,
        })
    }
}

/// An open write transaction.
pub struct WriteTx<'w> {
    pub(crate) tx: Transaction<'w>,
    pub(crate) audit_head: &'w mut audit::Head,
    pub(crate) audit_key: &'w AuditKey,
    /// Account balance movements of this transaction, applied once per account at commit
    /// (a batch of sales touches the same fund accounts over and over).
    pub(crate) balance_deltas: HashMap<String, journal::PendingBalance>,
    /// (account, amount) in posting order, so a failed unit of work can take its own back.
    pub(crate) delta_log: Vec<(String, i64)>,
    /// A unit run without a savepoint failed after writing: the transaction must not commit.
    poisoned: bool,
    /// The units of work begun and not yet ended, innermost last.
    units: Vec<Unit>,
    pub(crate) next_ticket_id: Option<i64>,
    /// Reference data was written: the version moves when the transaction commits.
    reference_changed: bool,
    reference_version: &'w AtomicU64,
}

/// What a unit of work needs to be taken back.
struct Unit {
    savepoint: bool,
    audit_head: audit::Head,
    delta_mark: usize,
    /// A ticket id counted by a unit taken back is given out again: serials stay gap-free.
    next_ticket_id: Option<i64>,
    changes: u64,
}

impl WriteTx<'_> {
    fn undo_deltas(&mut self, mark: usize) {
        for (account, amount) in self.delta_log.drain(mark..) {
            if let Some(p) = self.balance_deltas.get_mut(&account) {
                p.delta_fen -= amount;
            }
        }
    }

    /// Applies the pending balance movements and commits.
    pub fn commit(mut self) -> StoreResult<()> {
        if self.poisoned {
            return Err(StoreError::Corrupt(
                "a unit of work failed half-way; the transaction was rolled back".into(),
            ));
        }
        self.flush_balances()?;
        self.tx.commit()?;
        if self.reference_changed {
            self.reference_version.fetch_add(1, Ordering::Release);
        }
        Ok(())
    }

    /// Marks this transaction as changing reference data (see [`Store::reference_version`]).
    pub(crate) fn reference_changed(&mut self) {
        self.reference_changed = true;
    }

    /// A read view inside this transaction.
    pub fn reader(&self) -> Reader<'_> {
        Reader {
            conn: &self.tx,
            audit_key: self.audit_key,
        }
    }
}

impl Writes for WriteTx<'_> {
    fn reader(&self) -> Box<dyn Reads + '_> {
        Box::new(WriteTx::reader(self))
    }

    fn begin_unit(&mut self, savepoint: bool) -> StoreResult<()> {
        // SQLite rolls the whole transaction back by itself on some errors (a full disk):
        // a later unit's statements would then each commit on their own, outside the batch.
        if self.poisoned || self.tx.is_autocommit() {
            self.poisoned = true;
            return Err(StoreError::TransactionEnded);
        }
        if savepoint {
            self.tx.prepare_cached("SAVEPOINT unit")?.execute([])?;
        }
        self.units.push(Unit {
            savepoint,
            audit_head: self.audit_head.clone(),
            delta_mark: self.delta_log.len(),
            next_ticket_id: self.next_ticket_id,
            changes: self.tx.total_changes(),
        });
        Ok(())
    }

    fn end_unit(&mut self, keep: bool) -> StoreResult<()> {
        let unit = self
            .units
            .pop()
            .ok_or_else(|| StoreError::Corrupt("a unit of work ended twice".into()))?;
        if keep {
            if unit.savepoint {
                self.tx.prepare_cached("RELEASE unit")?.execute([])?;
            }
            return Ok(());
        }
        *self.audit_head = unit.audit_head;
        self.undo_deltas(unit.delta_mark);
        self.next_ticket_id = unit.next_ticket_id;
        if self.tx.is_autocommit() {
            // Already rolled back by SQLite (see `begin_unit`): the savepoint is gone too.
            self.poisoned = true;
        } else if unit.savepoint {
            self.tx.execute_batch("ROLLBACK TO unit; RELEASE unit")?;
        } else if self.tx.total_changes() != unit.changes {
            self.poisoned = true;
        }
        Ok(())
    }

    fn is_poisoned(&self) -> bool {
        self.poisoned
    }

    fn commit(self: Box<Self>) -> StoreResult<()> {
        WriteTx::commit(*self)
    }
}

impl WriteConnection for Writer {
    fn transaction(&mut self) -> StoreResult<Box<dyn Writes + '_>> {
        Ok(Box::new(Writer::transaction(self)?))
    }
}

impl Backend for Store {
    fn read_view(&self, f: &mut dyn FnMut(&dyn Reads)) -> StoreResult<()> {
        self.read(|r| {
            f(r);
            Ok(())
        })
    }

    fn write_connection(&self) -> StoreResult<Box<dyn WriteConnection>> {
        Ok(Box::new(self.writer()?))
    }

    fn group_commit_connection(&self) -> StoreResult<Box<dyn WriteConnection>> {
        Ok(Box::new(checkpoint::GroupCommitConnection::open(self)?))
    }

    fn reference_version(&self) -> u64 {
        Store::reference_version(self)
    }
}
