//! Storing new responses one at a time or in batches, with the one rule
//! for a `submission_id` seen before: the same answers are a retry and get
//! the first response's answer, other answers are a conflict.
use super::backend::write_transaction;
use super::bulk::{NewRow, insert_rows};
use super::responses::{NewSubmission, SubmitOutcome};
use super::schema::responses;
use super::{Conn, StorageError, Store, parse_uuid};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, RunQueryDsl};
use std::borrow::Borrow;
use std::collections::HashMap;
use uuid::Uuid;

/// The response first stored under a submission_id.
struct Earlier {
    id: Uuid,
    hash: String,
    receipt: String,
}

impl Earlier {
    /// The answer to a submission repeating this one with answers `hash`.
    fn answer(self, hash: &str) -> Result<SubmitOutcome, StorageError> {
        if self.hash != hash {
            return Err(StorageError::SubmissionConflict);
        }
        Ok(SubmitOutcome {
            id: self.id,
            receipt: self.receipt,
            created: false,
        })
    }
}

fn find_submission(
    conn: &mut Conn,
    consultation_id: &str,
    sid: &str,
) -> Result<Option<Earlier>, StorageError> {
    let found: Option<(String, String, String)> = responses::table
        .filter(responses::consultation_id.eq(consultation_id))
        .filter(responses::submission_id.eq(sid))
        .select((
            responses::id,
            responses::submission_hash,
            responses::receipt,
        ))
        .first(conn)
        .optional()?;
    found
        .map(|(id, hash, receipt)| {
            Ok(Earlier {
                id: parse_uuid(&id)?,
                hash,
                receipt,
            })
        })
        .transpose()
}

/// Stores `rows` as new responses inside the caller's transaction, all
/// new ones written together (`insert_rows`), and answers each in order.
/// A submission_id seen before, stored or earlier in `rows`, is answered
/// without writing (see the module). Any other failure is the caller's
/// whole transaction's.
pub(super) fn store_first<R: Borrow<NewRow>>(
    conn: &mut Conn,
    rows: &[R],
) -> Result<Vec<Result<SubmitOutcome, StorageError>>, StorageError> {
    let mut answers = Vec::with_capacity(rows.len());
    let mut fresh: Vec<&NewRow> = Vec::new();
    // Submission ids of `fresh`, per consultation, with their row there.
    let mut seen: HashMap<(Uuid, &str), usize> = HashMap::new();
    for row in rows {
        let row = row.borrow();
        let earlier = match &row.submission_id {
            None => None,
            Some(sid) => match seen.get(&(row.consultation.id, sid.as_str())) {
                Some(&i) => Some(Earlier {
                    id: fresh[i].response_id,
                    hash: fresh[i].hash.clone(),
                    receipt: fresh[i].receipt.clone(),
                }),
                None => find_submission(conn, &row.consultation.id.to_string(), sid)?,
            },
        };
        answers.push(match earlier {
            Some(e) => e.answer(&row.hash),
            None => {
                if let Some(sid) = &row.submission_id {
                    seen.insert((row.consultation.id, sid.as_str()), fresh.len());
                }
                fresh.push(row);
                Ok(row.outcome())
            }
        });
    }
    insert_rows(conn, &fresh)?;
    Ok(answers)
}

/// `store_first` for one row.
pub(super) fn store_one(conn: &mut Conn, row: &NewRow) -> Result<SubmitOutcome, StorageError> {
    store_first(conn, &[row])?
        .pop()
        .unwrap_or(Err(StorageError::Corrupt("a row went unanswered".into())))
}

impl Store {
    /// Stores a complete response atomically. A repeated `submission_id`
    /// with the same answers returns the first response; with other answers
    /// it is a `SubmissionConflict`.
    pub fn submit(&self, s: &NewSubmission<'_>) -> Result<SubmitOutcome, StorageError> {
        self.submit_row(&NewRow::from_submission(s)?)
    }

    /// As `submit`, for a row already made.
    pub fn submit_row(&self, row: &NewRow) -> Result<SubmitOutcome, StorageError> {
        let mut conn = self.conn()?;
        // Two attempts: a concurrent duplicate can win the unique index
        // between our check and our insert; the second attempt then finds it.
        for attempt in 0..2 {
            match write_transaction(&mut conn, |conn| store_one(conn, row)) {
                Err(StorageError::Query(DieselError::DatabaseError(
                    DatabaseErrorKind::UniqueViolation,
                    _,
                ))) if attempt == 0 && row.submission_id.is_some() => {}
                other => return other,
            }
        }
        Err(StorageError::SubmissionConflict)
    }
}
