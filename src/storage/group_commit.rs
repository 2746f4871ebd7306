//! Group commit for submissions: one writer thread stores the submissions
//! that arrive together in one transaction and acknowledges each only once
//! that transaction has committed. A commit (an fsync on SQLite) then serves
//! many members instead of one, while nobody waits for a timer: a
//! submission arriving at a quiet moment is committed alone at once.
use super::backend::write_transaction;
use super::bulk::{NewRow, insert_rows};
use super::responses::{NewSubmission, SubmitOutcome, find_submission};
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
    pub channel: &'static str,
}

type Job = (
    Pending,
    NewRow,
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
        // The stored forms are made here, on the request's thread.
        let row = NewRow::new(
            p.consultation,
            p.submission_id,
            &p.answers,
            p.channel,
            super::now(),
        );
        let (tx, rx) = oneshot::channel();
        self.jobs
            .send((p, row, tx))
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
                // A full disk has been reported already (`full`).
                if !matches!(e, StorageError::Full(_)) {
                    tracing::warn!(error = %e, size = batch.len(), "group commit failed; storing one by one");
                }
                batch
                    .iter()
                    .map(|(p, _, _)| store.submit(&borrowed(p)))
                    .collect()
            }
        };
        for ((_, _, reply), result) in batch.into_iter().zip(results) {
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

/// One transaction for the batch, its new responses written together
/// (`bulk::insert_rows`). A submission_id seen before (stored, or earlier in
/// the batch) is answered without writing: the same answers find the first
/// response, other answers are a conflict. Any other failure rolls the
/// whole batch back, to be stored one by one.
fn commit(
    store: &Store,
    batch: &[Job],
) -> Result<Vec<Result<SubmitOutcome, StorageError>>, StorageError> {
    let mut conn = store.conn()?;
    write_transaction(&mut conn, |conn| {
        let mut results = Vec::with_capacity(batch.len());
        let mut rows: Vec<&NewRow> = Vec::new();
        for (p, row, _) in batch {
            let earlier = match &row.submission_id {
                Some(sid) => rows
                    .iter()
                    .find(|r| {
                        r.consultation.id == p.consultation.id
                            && r.submission_id.as_ref() == Some(sid)
                    })
                    .map(|r| (r.id.clone(), r.hash.clone(), r.receipt.clone()))
                    .map_or_else(
                        || find_submission(conn, &p.consultation.id.to_string(), sid),
                        |e| Ok(Some(e)),
                    )?,
                None => None,
            };
            results.push(match earlier {
                Some((_, hash, _)) if hash != row.hash => Err(StorageError::SubmissionConflict),
                Some((id, _, receipt)) => Ok(SubmitOutcome {
                    id: super::responses::parse_uuid(&id)?,
                    receipt,
                    created: false,
                }),
                None => {
                    let outcome = SubmitOutcome {
                        id: super::responses::parse_uuid(&row.id)?,
                        receipt: row.receipt.clone(),
                        created: true,
                    };
                    rows.push(row);
                    Ok(outcome)
                }
            });
        }
        insert_rows(conn, &rows)?;
        Ok::<_, StorageError>(results)
    })
}
