//! Group commit for submissions: one writer thread stores the submissions
//! that arrive together in one transaction and acknowledges each only once
//! that transaction has committed. A commit (an fsync on SQLite) then serves
//! many members instead of one, while nobody waits for a timer: a
//! submission arriving at a quiet moment is committed alone at once.
use super::backend::write_transaction;
use super::bulk::NewRow;
use super::responses::{Channel, SubmitOutcome};
use super::submit::store_first;
use super::{StorageError, Store, StoredConsultation};
use crate::domain::Answers;
use std::sync::mpsc;
use tokio::sync::oneshot;
use uuid::Uuid;

/// Most submissions in one transaction.
const MAX_BATCH: usize = 256;

/// A submission waiting for the writer.
pub struct Pending {
    pub consultation: StoredConsultation,
    pub submission_id: Option<Uuid>,
    pub answers: Answers,
    pub channel: Channel,
}

type Job = (NewRow, oneshot::Sender<Result<SubmitOutcome, StorageError>>);

/// Handle on the writer thread; the thread ends when every handle is gone.
#[derive(Clone)]
pub struct GroupCommit {
    jobs: mpsc::Sender<Job>,
}

impl GroupCommit {
    /// Starts the writer; without it nothing could be submitted.
    pub fn start(store: Store) -> Result<GroupCommit, StorageError> {
        let (jobs, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("group-commit".into())
            .spawn(move || writer(store, rx))
            .map_err(StorageError::WriterStart)?;
        Ok(GroupCommit { jobs })
    }

    /// Stores `p`; resolves once it is durably committed.
    pub async fn submit(&self, p: Pending) -> Result<SubmitOutcome, StorageError> {
        // The stored forms are made here, on the request's thread.
        let row = NewRow::new(
            p.consultation,
            p.submission_id,
            &p.answers,
            p.channel,
            super::now(),
        )?;
        let (tx, rx) = oneshot::channel();
        self.jobs
            .send((row, tx))
            .map_err(|_| StorageError::WriterStopped)?;
        rx.await.map_err(|_| StorageError::WriterStopped)?
    }
}

fn writer(store: Store, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let (rows, replies): (Vec<NewRow>, Vec<_>) = batch.into_iter().unzip();
        for (reply, result) in replies.into_iter().zip(store.store_batch(&rows)) {
            // A client that has gone away no longer listens; its response
            // is stored all the same.
            let _ = reply.send(result);
        }
    }
}

impl Store {
    /// What the group-commit writer does with one batch: stores the rows in
    /// one transaction and answers each, in order. When that transaction
    /// fails as a whole (e.g. one row is refused, or the disk is full),
    /// each row is stored alone, so that each gets its own answer and one
    /// refused row does not take its neighbours with it.
    pub fn store_batch(&self, rows: &[NewRow]) -> Vec<Result<SubmitOutcome, StorageError>> {
        let together = self
            .conn()
            .and_then(|mut conn| write_transaction(&mut conn, |conn| store_first(conn, rows)));
        match together {
            Ok(answers) => answers,
            Err(e) => {
                // A full disk has been reported already (`full`).
                if !matches!(e, StorageError::Full(_)) {
                    tracing::warn!(error = %e, size = rows.len(), "group commit failed; storing one by one");
                }
                rows.iter().map(|row| self.submit_row(row)).collect()
            }
        }
    }
}
