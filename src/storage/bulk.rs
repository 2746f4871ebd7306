//! New responses (first versions) made ready and written together: every
//! way a response starts (the group commit's batches, the web form, an
//! import, generated data) writes through `insert_rows`.
use super::backend::{Manager, insert_many, write_transaction};
use super::consultations::bump_data_version;
use super::current::NewCurrent;
use super::responses::{Channel, NewResponse, NewResponseVersion, NewSubmission, SubmitOutcome};
use super::schema::{
    consultations, current_documents, current_responses, response_versions, responses,
};
use super::stamp::Stamp;
use super::{AnyConnection, Conn, StorageError, Store, StoredConsultation};
use crate::domain::tokens::new_receipt;
use crate::domain::{Answers, closed_codes};
use diesel::connection::SimpleConnection;
use diesel::result::Error as DieselError;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use std::borrow::Borrow;
use std::collections::BTreeSet;
use uuid::Uuid;

/// Rows per PostgreSQL statement: well under its limit on bound
/// parameters (response versions have eight columns).
const ROWS: usize = 1000;

/// A new response with its ids chosen and its stored forms made, ready
/// to be written. Made where the answers are (a request's thread, the
/// generator's), so that the one writer only writes.
pub struct NewRow {
    pub(super) consultation: StoredConsultation,
    pub(super) response_id: Uuid,
    pub(super) id: String,
    pub(super) version_id: String,
    pub(super) submission_id: Option<String>,
    pub(super) hash: String,
    pub(super) receipt: String,
    /// The answers as stored: the API's JSON object.
    pub(super) document: String,
    /// The closed answers, see `domain::closed`.
    pub(super) closed: String,
    pub(super) channel: Channel,
    pub(super) submitted_at: Stamp,
}

impl NewRow {
    pub fn new(
        consultation: StoredConsultation,
        submission_id: Option<Uuid>,
        answers: &Answers,
        channel: Channel,
        submitted_at: chrono::NaiveDateTime,
    ) -> Result<Self, StorageError> {
        let (document, hash) = answers.stored()?;
        let response_id = Uuid::now_v7();
        Ok(NewRow {
            consultation,
            response_id,
            id: response_id.to_string(),
            version_id: Uuid::now_v7().to_string(),
            submission_id: submission_id.map(|s| s.to_string()),
            hash,
            receipt: new_receipt(),
            document,
            closed: closed_codes::encode(answers),
            channel,
            submitted_at: Stamp::new(submitted_at),
        })
    }

    /// `s` made ready, submitted now unless it says when.
    pub fn from_submission(s: &NewSubmission<'_>) -> Result<Self, StorageError> {
        NewRow::new(
            s.consultation,
            s.submission_id,
            s.answers,
            s.channel,
            s.submitted_at.unwrap_or_else(super::now),
        )
    }

    /// The answer to the submission once this row is stored.
    pub(super) fn outcome(&self) -> SubmitOutcome {
        SubmitOutcome {
            id: self.response_id,
            receipt: self.receipt.clone(),
            created: true,
        }
    }
}

/// Writes `rows` as new responses (first versions) and bumps the data
/// version of each consultation they belong to, once.
pub(super) fn insert_rows<R: Borrow<NewRow>>(
    conn: &mut Conn,
    rows: &[R],
) -> Result<(), DieselError> {
    let rows: Vec<&NewRow> = rows.iter().map(Borrow::borrow).collect();
    let consultation_ids: Vec<String> =
        rows.iter().map(|r| r.consultation.id.to_string()).collect();
    let mut response_rows = Vec::with_capacity(rows.len());
    let mut version_rows = Vec::with_capacity(rows.len());
    let mut closed_rows = Vec::with_capacity(rows.len());
    let mut document_rows = Vec::with_capacity(rows.len());
    for (r, cid) in rows.iter().zip(&consultation_ids) {
        response_rows.push(NewResponse {
            id: &r.id,
            consultation_id: cid,
            submission_id: r.submission_id.as_deref(),
            submission_hash: &r.hash,
            receipt: &r.receipt,
            current_version: 1,
            created_at: &r.submitted_at,
            updated_at: &r.submitted_at,
        });
        version_rows.push(NewResponseVersion {
            id: &r.version_id,
            response_id: &r.id,
            version: 1,
            definition_version: r.consultation.version,
            channel: r.channel.as_str(),
            answers_hash: &r.hash,
            submitted_at: &r.submitted_at,
            answers: &r.document,
        });
        let current = NewCurrent::new(
            cid,
            &r.id,
            r.consultation.version,
            &r.closed,
            &r.document,
            &r.submitted_at,
        );
        closed_rows.push(current.closed);
        document_rows.push(current.document);
    }
    for chunk in response_rows.chunks(ROWS) {
        insert_many!(&mut *conn, responses::table, chunk)?;
    }
    for chunk in version_rows.chunks(ROWS) {
        insert_many!(&mut *conn, response_versions::table, chunk)?;
    }
    for chunk in closed_rows.chunks(ROWS) {
        insert_many!(&mut *conn, current_responses::table, chunk)?;
    }
    for chunk in document_rows.chunks(ROWS) {
        insert_many!(&mut *conn, current_documents::table, chunk)?;
    }
    let mut bumped: Vec<&str> = Vec::new();
    for cid in &consultation_ids {
        if !bumped.contains(&cid.as_str()) {
            bump_data_version(conn, cid)?;
            bumped.push(cid);
        }
    }
    Ok(())
}

/// A connection of its own for storing many generated responses, outside
/// the pool: its settings (no per-row foreign key checks, a large page
/// cache) can then never reach a request's connection, and go with it when
/// it is dropped.
pub struct BulkLoad {
    conn: AnyConnection,
}

impl Store {
    pub fn bulk_load(&self) -> Result<BulkLoad, StorageError> {
        let url = self.url();
        let mut conn = Manager::new(url.clone())
            .connect_now()
            .map_err(|e| StorageError::Open(format!("{url}: {e}")))?;
        // A batch this size outgrows the usual page cache, which would
        // spill pages to the log before the commit. Foreign keys are
        // checked once per batch rather than five times per row: each row
        // refers only to its consultation, checked in `insert`, and to the
        // response made beside it.
        if let AnyConnection::Sqlite(c) = &mut conn {
            c.batch_execute("PRAGMA cache_size = -262144; PRAGMA foreign_keys = OFF;")?;
        }
        Ok(BulkLoad { conn })
    }
}

impl BulkLoad {
    /// Stores `rows` as new responses in one transaction: all of them or
    /// none.
    pub fn insert(&mut self, rows: &[NewRow]) -> Result<usize, StorageError> {
        write_transaction(&mut self.conn, |conn| {
            for id in rows
                .iter()
                .map(|r| r.consultation.id)
                .collect::<BTreeSet<_>>()
            {
                let found: i64 = consultations::table
                    .filter(consultations::id.eq(id.to_string()))
                    .count()
                    .get_result(conn)?;
                if found == 0 {
                    return Err(StorageError::NoConsultation(id));
                }
            }
            insert_rows(conn, rows)?;
            Ok(rows.len())
        })
    }
}
