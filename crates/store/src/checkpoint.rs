//! Checkpoints off the group-commit writer's path. Its connection never checkpoints on
//! commit (the commit that crossed the threshold would copy the WAL into the database file
//! while every request of its batch waited); a thread copies committed pages every
//! [`CHECKPOINT_EVERY`], and once the WAL has grown the writer copies the small remainder
//! between two batches, so that the WAL starts over instead of growing for as long as the
//! load lasts.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::Connection;

use crate::backend::{WriteConnection, Writes};
use crate::{open_connection, Store, StoreError, StoreResult, Writer};

/// How often the WAL is copied into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);
/// WAL frames beyond which the writer catches the checkpoint up so that the WAL starts over.
const RESTART_WAL_FRAMES: i64 = 4096;

/// Copies the WAL into the database file alongside the writer (a passive checkpoint never
/// blocks it, nor readers).
pub struct Checkpointer {
    conn: Connection,
}

impl Checkpointer {
    pub(crate) fn open(store: &Store) -> StoreResult<Checkpointer> {
        Ok(Checkpointer {
            conn: open_connection(store.path())?,
        })
    }

    /// One passive checkpoint; returns (frames in the WAL, frames copied so far).
    pub fn checkpoint(&self) -> StoreResult<(i64, i64)> {
        passive_checkpoint(&self.conn)
    }
}

pub(crate) fn passive_checkpoint(conn: &Connection) -> StoreResult<(i64, i64)> {
    Ok(conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
        Ok((r.get(1)?, r.get(2)?))
    })?)
}

/// The group-commit writer's connection with its checkpoint thread, which stops (after a
/// last checkpoint) when the connection is dropped.
pub(crate) struct GroupCommitConnection {
    writer: Writer,
    restart_due: Arc<AtomicBool>,
    _running: Sender<()>,
}

impl GroupCommitConnection {
    pub(crate) fn open(store: &Store) -> StoreResult<GroupCommitConnection> {
        let writer = store.writer()?;
        writer.checkpoint_elsewhere()?;
        let checkpointer = Checkpointer::open(store)?;
        let restart_due = Arc::new(AtomicBool::new(false));
        let (running, stopped) = channel();
        std::thread::Builder::new()
            .name("fucai-checkpoint".into())
            .spawn({
                let restart_due = restart_due.clone();
                move || run_checkpointer(&checkpointer, &stopped, &restart_due)
            })
            .map_err(|e| StoreError::Io {
                what: "the checkpoint thread".into(),
                source: e,
            })?;
        Ok(GroupCommitConnection {
            writer,
            restart_due,
            _running: running,
        })
    }
}

impl WriteConnection for GroupCommitConnection {
    fn transaction(&mut self) -> StoreResult<Box<dyn Writes + '_>> {
        WriteConnection::transaction(&mut self.writer)
    }

    fn between_batches(&mut self) {
        if self.restart_due.swap(false, Ordering::AcqRel) {
            if let Err(e) = self.writer.catch_up_checkpoint() {
                tracing::warn!("checkpoint failed: {e}");
            }
        }
    }
}

/// Checkpoints every [`CHECKPOINT_EVERY`] while the writer runs, and once more when it stops.
/// A page written many times between two checkpoints is copied once.
fn run_checkpointer(checkpointer: &Checkpointer, stopped: &Receiver<()>, restart_due: &AtomicBool) {
    loop {
        let stopping = !matches!(
            stopped.recv_timeout(CHECKPOINT_EVERY),
            Err(RecvTimeoutError::Timeout)
        );
        match checkpointer.checkpoint() {
            Ok((frames, _)) if frames >= RESTART_WAL_FRAMES => {
                restart_due.store(true, Ordering::Release)
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("checkpoint failed: {e}"),
        }
        if stopping {
            return;
        }
    }
}
