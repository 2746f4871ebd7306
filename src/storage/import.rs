//! Many responses stored together: all of them or, on any problem, none.
use super::backend::write_transaction;
use super::bulk::NewRow;
use super::responses::NewSubmission;
use super::submit::store_first;
use super::{StorageError, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportOutcome {
    pub created: usize,
    /// Rows whose submission_id was already stored with the same answers.
    pub already_stored: usize,
}

impl Store {
    /// Stores every submission in one transaction. A submission_id already
    /// stored with other answers fails the whole import, naming its row
    /// (counted from 1).
    pub fn import(&self, subs: &[NewSubmission<'_>]) -> Result<ImportOutcome, StorageError> {
        let rows = subs
            .iter()
            .map(NewRow::from_submission)
            .collect::<Result<Vec<_>, _>>()?;
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| {
            let mut outcome = ImportOutcome::default();
            for (row, answer) in store_first(conn, &rows)?.into_iter().enumerate() {
                match answer {
                    Ok(o) if o.created => outcome.created += 1,
                    Ok(_) => outcome.already_stored += 1,
                    Err(StorageError::SubmissionConflict) => {
                        return Err(StorageError::ImportConflict { row: row + 1 });
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(outcome)
        })
    }
}
