//! Group commit: one thread owns the write connection; requests queue their unit of work, the
//! thread runs as many as are waiting (up to a batch limit) in one transaction, each in its
//! own savepoint, commits once, and only then answers each request. A failed commit fails
//! every request of its batch; a failed request fails alone.

use fucai_store::{Store, WriteTx, Writer};
use tokio::sync::{mpsc, oneshot};

use crate::error::{AppError, AppResult};

/// Most requests in one transaction.
pub const MAX_BATCH: usize = 512;
/// Most requests waiting for the writer; beyond it callers wait (backpressure), never an
/// unbounded queue.
pub const QUEUE_CAPACITY: usize = 4096;

type Completion = Box<dyn FnOnce(Result<(), String>) + Send>;
/// A unit of work: given the transaction (or `None` when none could be opened), it runs and
/// returns what to do once the commit outcome is known.
type Job = Box<dyn FnOnce(Option<&mut WriteTx<'_>>) -> Completion + Send>;

#[derive(Clone)]
pub struct WriteQueue {
    jobs: mpsc::Sender<Job>,
}

impl WriteQueue {
    /// Starts the writer thread. `max_batch` = 1 gives one transaction per request (the
    /// baseline the benchmark compares against).
    pub fn start(store: &Store, max_batch: usize) -> AppResult<WriteQueue> {
        let writer = store.writer()?;
        let (jobs, queue) = mpsc::channel::<Job>(QUEUE_CAPACITY);
        std::thread::Builder::new()
            .name("fucai-writer".into())
            .spawn(move || run_writer(writer, queue, max_batch.max(1)))
            .map_err(|e| AppError::Internal(format!("cannot start the writer thread: {e}")))?;
        Ok(WriteQueue { jobs })
    }

    /// Runs `work` in the next batch; resolves after its batch is durably committed.
    pub async fn run<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut WriteTx<'_>) -> AppResult<T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<AppResult<T>>();
        let job: Job = Box::new(move |tx| {
            let outcome = match tx {
                Some(tx) => tx.attempt(work),
                None => Err(AppError::Internal("no transaction".into())),
            };
            Box::new(move |commit: Result<(), String>| {
                let _ = reply.send(match commit {
                    Ok(()) => outcome,
                    Err(e) => Err(AppError::Internal(format!("commit failed: {e}"))),
                });
            })
        });
        self.jobs.send(job).await.map_err(|_| AppError::Busy)?;
        answer
            .await
            .map_err(|_| AppError::Internal("the writer stopped".into()))?
    }
}

fn run_writer(mut writer: Writer, mut queue: mpsc::Receiver<Job>, max_batch: usize) {
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
        let commit = match writer.transaction() {
            Ok(mut tx) => {
                for job in batch.drain(..) {
                    completions.push(job(Some(&mut tx)));
                }
                tx.commit().map_err(|e| e.to_string())
            }
            Err(e) => {
                for job in batch.drain(..) {
                    completions.push(job(None));
                }
                Err(e.to_string())
            }
        };
        for done in completions {
            done(commit.clone());
        }
    }
}
