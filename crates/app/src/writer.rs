//! Group commit: one thread owns the write connection; requests queue their unit of work, the
//! thread runs as many as are waiting (up to a batch limit) in one transaction, each in its
//! own savepoint, commits once, and only then answers each request. A failed commit fails
//! every request of its batch; a failed request fails alone.

use fucai_store::{Backend, WriteConnection, Writes};
use tokio::sync::{mpsc, oneshot};

use crate::error::{AppError, AppResult};

/// Most requests in one transaction.
pub const MAX_BATCH: usize = 512;
/// Most requests waiting for the writer; beyond it callers wait (backpressure), never an
/// unbounded queue.
pub const QUEUE_CAPACITY: usize = 4096;

/// How a batch ended.
#[derive(Clone, Debug)]
enum Commit {
    Done,
    /// Rolled back because one unit failed half-way: the others may simply retry.
    Abandoned,
    Failed(FailedCommit),
}

/// Why a batch could not be committed, as every request of the batch is told.
#[derive(Clone, Debug)]
struct FailedCommit {
    message: String,
    /// The database's disk is full: a 503 the client retries, not an internal error.
    storage_full: bool,
}

impl From<fucai_store::StoreError> for FailedCommit {
    fn from(e: fucai_store::StoreError) -> FailedCommit {
        FailedCommit {
            storage_full: matches!(e, fucai_store::StoreError::StorageFull(_)),
            message: e.to_string(),
        }
    }
}

impl FailedCommit {
    fn into_error(self) -> AppError {
        if self.storage_full {
            AppError::Unavailable(self.message)
        } else {
            AppError::internal(format!("commit failed: {}", self.message))
        }
    }
}

type Completion = Box<dyn FnOnce(Commit) + Send>;
/// A unit of work: given the transaction (or `None` when none could be opened), it runs and
/// returns what to do once the commit outcome is known.
type Job = Box<dyn FnOnce(Option<&mut dyn Writes>) -> Completion + Send>;

#[derive(Clone)]
pub struct WriteQueue {
    jobs: mpsc::Sender<Job>,
}

impl WriteQueue {
    /// Starts the writer thread on the backend's group-commit connection. `max_batch` = 1
    /// gives one transaction per request (the baseline the benchmark compares against).
    pub fn start(store: &dyn Backend, max_batch: usize) -> AppResult<WriteQueue> {
        let connection = store.group_commit_connection()?;
        let (jobs, queue) = mpsc::channel::<Job>(QUEUE_CAPACITY);
        std::thread::Builder::new()
            .name("fucai-writer".into())
            .spawn(move || run_writer(connection, queue, max_batch.max(1)))
            .map_err(|e| AppError::context("cannot start the writer thread", e))?;
        Ok(WriteQueue { jobs })
    }

    /// Runs `work` in the next batch, in its own savepoint; resolves after its batch is
    /// durably committed.
    pub async fn run<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Writes) -> AppResult<T> + Send + 'static,
    {
        self.submit(work, false).await
    }

    /// Like [`WriteQueue::run`] for work that checks everything before its first write (a
    /// sale): no savepoint, which saves copying every page it touches. Should it fail after
    /// writing after all, its batch is rolled back and the others are asked to retry.
    pub async fn run_validated<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Writes) -> AppResult<T> + Send + 'static,
    {
        self.submit(work, true).await
    }

    async fn submit<T, F>(&self, work: F, validated: bool) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Writes) -> AppResult<T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<AppResult<T>>();
        let job: Job = Box::new(move |tx| {
            let outcome = match tx {
                Some(tx) if validated => tx.attempt_validated(work),
                Some(tx) => tx.attempt(work),
                None => Err(AppError::internal("no transaction")),
            };
            Box::new(move |commit: Commit| {
                let _ = reply.send(match (commit, outcome) {
                    (Commit::Done, outcome) | (_, outcome @ Err(_)) => outcome,
                    (Commit::Abandoned, Ok(_)) => Err(AppError::Busy),
                    (Commit::Failed(e), Ok(_)) => Err(e.into_error()),
                });
            })
        });
        self.jobs.send(job).await.map_err(|_| AppError::Busy)?;
        answer
            .await
            .map_err(|_| AppError::internal("the writer stopped"))?
    }
}

fn run_writer(
    mut connection: Box<dyn WriteConnection>,
    mut queue: mpsc::Receiver<Job>,
    max_batch: usize,
) {
    let mut batch: Vec<Job> = Vec::with_capacity(max_batch);
    while let Some(first) = queue.blocking_recv() {
        batch.push(first);
        while batch.len() < max_batch {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut completions: Vec<Completion> = Vec::with_capacity(batch.len());
        let commit = match connection.transaction() {
            Ok(mut tx) => {
                for job in batch.drain(..) {
                    completions.push(job(Some(&mut *tx)));
                }
                if tx.is_poisoned() {
                    drop(tx); // rolls back
                    Commit::Abandoned
                } else {
                    match tx.commit() {
                        Ok(()) => Commit::Done,
                        Err(e) => Commit::Failed(e.into()),
                    }
                }
            }
            Err(e) => {
                for job in batch.drain(..) {
                    completions.push(job(None));
                }
                Commit::Failed(e.into())
            }
        };
        for done in completions {
            done(commit.clone());
        }
        // After answering the batch, so that no answer waits for it.
        connection.between_batches();
    }
}
