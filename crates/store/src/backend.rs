//! The storage interface the application runs on. A backend hands out read views (every
//! `*Reads` repository), write transactions (every `*Writes` repository, plus units of work
//! inside them) and write connections for the group-commit writer. SQLite ([`crate::Store`])
//! implements it; a PostgreSQL backend implements the same traits on its own pool and
//! transactions, and the application does not change.
//!
//! The traits are object-safe: the application holds an `Arc<dyn Backend>`, so no backend
//! type reaches it and a dynamic call costs nothing next to a statement.

use crate::repo::*;
use crate::{StoreError, StoreResult};

/// Every repository's reads, on one snapshot.
pub trait Reads:
    ActivitiesReads
    + ArticlesReads
    + AuditReads
    + CampaignsReads
    + DrawsReads
    + HallsReads
    + InstantReads
    + InspectionsReads
    + JournalReads
    + RegistersReads
    + ReportsReads
    + SalesReads
    + StationMoneyReads
    + TrainingReads
    + UsersReads
    + WelfareReads
{
}

impl<T> Reads for T where
    T: ActivitiesReads
        + ArticlesReads
        + AuditReads
        + CampaignsReads
        + DrawsReads
        + HallsReads
        + InstantReads
        + InspectionsReads
        + JournalReads
        + RegistersReads
        + ReportsReads
        + SalesReads
        + StationMoneyReads
        + TrainingReads
        + UsersReads
        + WelfareReads
        + ?Sized
{
}

/// An open write transaction: every repository's writes, a read view that sees them, and
/// units of work that fail alone.
pub trait Writes:
    ActivitiesWrites
    + ArticlesWrites
    + AuditWrites
    + CampaignsWrites
    + DrawsWrites
    + HallsWrites
    + HistoryWrites
    + InstantWrites
    + InspectionsWrites
    + JournalWrites
    + RegistersWrites
    + SalesWrites
    + StationMoneyWrites
    + TrainingWrites
    + UsersWrites
    + WelfareWrites
{
    /// A read view inside this transaction.
    fn reader(&self) -> Box<dyn Reads + '_>;

    /// Starts a unit of work. With `savepoint`, a failed unit is rolled back alone; without,
    /// the unit promises to check everything before its first write, and if it fails after
    /// writing anyway the transaction is poisoned.
    fn begin_unit(&mut self, savepoint: bool) -> StoreResult<()>;

    /// Ends the unit begun last: keeps its writes, or takes them back (rows, balance
    /// movements, the audit chain's head).
    fn end_unit(&mut self, keep: bool) -> StoreResult<()>;

    /// A unit failed half-way without a savepoint: the transaction must be rolled back.
    fn is_poisoned(&self) -> bool;

    /// Applies the pending balance movements and commits; refuses a poisoned transaction.
    fn commit(self: Box<Self>) -> StoreResult<()>;
}

impl dyn Writes + '_ {
    /// Runs one unit of work in a savepoint: on error it is rolled back alone and the
    /// transaction stays usable for the rest of the batch.
    pub fn attempt<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut dyn Writes) -> Result<T, E>,
    ) -> Result<T, E> {
        self.unit(true, f)
    }

    /// Runs a unit of work that checks everything before its first write, without the cost
    /// of a savepoint (see [`Writes::begin_unit`]).
    pub fn attempt_validated<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut dyn Writes) -> Result<T, E>,
    ) -> Result<T, E> {
        self.unit(false, f)
    }

    fn unit<T, E: From<StoreError>>(
        &mut self,
        savepoint: bool,
        f: impl FnOnce(&mut dyn Writes) -> Result<T, E>,
    ) -> Result<T, E> {
        self.begin_unit(savepoint)?;
        let outcome = f(self);
        self.end_unit(outcome.is_ok())?;
        outcome
    }
}

/// A connection that writes: one transaction at a time.
pub trait WriteConnection: Send {
    fn transaction(&mut self) -> StoreResult<Box<dyn Writes + '_>>;

    /// Upkeep between two batches of the group-commit writer, after the last batch was
    /// answered (SQLite: finishing the WAL checkpoint so that the WAL starts over).
    fn between_batches(&mut self) {}
}

/// A database fucai runs on.
pub trait Backend: Send + Sync {
    /// Runs `f` on a read view: every query sees one snapshot.
    fn read_view(&self, f: &mut dyn FnMut(&dyn Reads)) -> StoreResult<()>;

    /// A connection for short administrative writes.
    fn write_connection(&self) -> StoreResult<Box<dyn WriteConnection>>;

    /// The connection of the group-commit writer, the one busy writer of a process: the
    /// backend may move its upkeep elsewhere so that commits do not wait for it.
    fn group_commit_connection(&self) -> StoreResult<Box<dyn WriteConnection>>;

    /// Moves at every committed transaction that changed reference data (centers, towns,
    /// stations, terminals, the draw calendar): whoever keeps such rows in memory drops
    /// them when it moves.
    fn reference_version(&self) -> u64;
}

impl dyn Backend + '_ {
    /// Runs `f` on a read view (one snapshot) and returns what it returns.
    pub fn read<T>(&self, f: impl FnOnce(&dyn Reads) -> StoreResult<T>) -> StoreResult<T> {
        let mut f = Some(f);
        let mut outcome = None;
        self.read_view(&mut |r| outcome = f.take().map(|f| f(r)))?;
        outcome.unwrap_or_else(|| Err(StoreError::Corrupt("the read view never ran".into())))
    }

    /// One write transaction on its own connection, committed if `f` succeeds.
    pub fn write<T>(&self, f: impl FnOnce(&mut dyn Writes) -> StoreResult<T>) -> StoreResult<T> {
        let mut connection = self.write_connection()?;
        let mut tx = connection.transaction()?;
        let value = f(&mut *tx)?;
        tx.commit()?;
        Ok(value)
    }
}
