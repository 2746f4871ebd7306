//! Group commit for submissions: one writer thread stores the submissions
//! that arrive together in one transaction and acknowledges each only once
//! that transaction has committed. A commit (an fsync on SQLite) then serves
//! many members instead of one, while nobody waits for a timer: a
//! submission arriving at a quiet moment is committed alone at once.
use super::backend::write_transaction;
use super::consultations::bump_data_version;
use super::responses::{NewSubmission, SubmitOutcome, store_new};
use super::{StorageError, Store, StoredConsultation};
use crate::domain::Answers;
use diesel::Connection;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
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
    pub channel: &'static str,
}

type Job = (
    Pending,
    oneshot::Sender<Result<SubmitOutcome, StorageError>>,
);

/// Handle on the writer thread; the thread ends when every handle is gone.
#[derive(Clone)]
pub struct GroupCommit {
    jobs: mpsc::Sender<Job>,
}

impl GroupCommit {
    pub fn start(store: Store) -> GroupCommit {
        let (jobs, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("group-commit".into())
            .spawn(move || writer(store, rx))
            .map_or_else(
                // Without a writer thread every submission gets an error
                // reply (the receiver is dropped), never silence.
                |e| tracing::error!(error = %e, "could not start the group-commit writer"),
                drop,
            );
        GroupCommit { jobs }
    }

    /// Stores `p`; resolves once it is durably committed.
    pub async fn submit(&self, p: Pending) -> Result<SubmitOutcome, StorageError> {
        let (tx, rx) = oneshot::channel();
        self.jobs
            .send((p, tx))
            .map_err(|_| StorageError::Open("the submission writer has stopped".into()))?;
        rx.await
            .map_err(|_| StorageError::Open("the submission writer has stopped".into()))?
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
        let results = match commit(&store, &batch) {
            Ok(results) => results,
            // The transaction as a whole failed (e.g. the disk is full):
            // each submission is tried alone so that each gets its own answer.
            Err(e) => {
                tracing::warn!(error = %e, size = batch.len(), "group commit failed; storing one by one");
                batch
                    .iter()
                    .map(|(p, _)| store.submit(&borrowed(p)))
                    .collect()
            }
        };
        for ((_, reply), result) in batch.into_iter().zip(results) {
            // A client that has gone away no longer listens; its response
            // is stored all the same.
            let _ = reply.send(result);
        }
    }
}

fn borrowed(p: &Pending) -> NewSubmission<'_> {
    NewSubmission {
        consultation: p.consultation,
        submission_id: p.submission_id,
        answers: &p.answers,
        channel: p.channel,
        submitted_at: None,
    }
}

/// One transaction for the batch, a savepoint per submission: a refused
/// submission (a reused submission_id) rolls back alone. Any other failure
/// rolls the whole batch back, to be stored one by one. The data version is
/// bumped once, last, so that the consultation's row is locked only
/// briefly (another instance's batch may be waiting for it).
fn commit(
    store: &Store,
    batch: &[Job],
) -> Result<Vec<Result<SubmitOutcome, StorageError>>, StorageError> {
    let mut conn = store.conn()?;
    write_transaction(&mut conn, |conn| {
        let mut results = Vec::with_capacity(batch.len());
        let mut touched: Vec<Uuid> = Vec::new();
        for (p, _) in batch {
            let s = borrowed(p);
            let mut result = conn.transaction(|c| store_new(c, &s));
            // Another instance stored the same submission_id between our
            // look and our insert: the second look finds it.
            if matches!(
                result,
                Err(StorageError::Query(DieselError::DatabaseError(
                    DatabaseErrorKind::UniqueViolation,
                    _
                )))
            ) && s.submission_id.is_some()
            {
                result = conn.transaction(|c| store_new(c, &s));
            }
            match result {
                Ok(outcome) => {
                    if outcome.created && !touched.contains(&p.consultation.id) {
                        touched.push(p.consultation.id);
                    }
                    results.push(Ok(outcome));
                }
                Err(StorageError::SubmissionConflict) => {
                    results.push(Err(StorageError::SubmissionConflict))
                }
                Err(e) => return Err(e),
            }
        }
        for id in touched {
            bump_data_version(conn, &id.to_string())?;
        }
        Ok::<_, StorageError>(results)
    })
}
