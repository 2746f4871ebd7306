//! Storing many new responses at once: synthetic data at scale, and each
//! group commit's batch of submissions.
use super::backend::{insert_many, write_transaction};
use super::consultations::bump_data_version;
use super::current::NewCurrent;
use super::responses::{NewResponse, NewVersion};
use super::schema::{
    consultations, current_documents, current_responses, response_versions, responses,
};
use super::stamp::Stamp;
use super::{Conn, StorageError, Store, StoredConsultation};
use crate::domain::tokens::new_receipt;
use crate::domain::{Answers, closed};
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
    pub(super) id: String,
    pub(super) version_id: String,
    pub(super) submission_id: Option<String>,
    pub(super) hash: String,
    pub(super) receipt: String,
    /// The answers as stored: the API's JSON object.
    pub(super) document: String,
    /// The closed answers, see `domain::closed`.
    pub(super) closed: String,
    pub(super) channel: &'static str,
    pub(super) submitted_at: Stamp,
}

impl NewRow {
    pub fn new(
        consultation: StoredConsultation,
        submission_id: Option<Uuid>,
        answers: &Answers,
        channel: &'static str,
        submitted_at: chrono::NaiveDateTime,
    ) -> Self {
        let (document, hash) = answers.stored();
        NewRow {
            consultation,
            id: Uuid::now_v7().to_string(),
            version_id: Uuid::now_v7().to_string(),
            submission_id: submission_id.map(|s| s.to_string()),
            hash,
            receipt: new_receipt(),
            document,
            closed: closed::encode(answers),
            channel,
            submitted_at: Stamp::new(submitted_at),
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
        version_rows.push(NewVersion {
            id: &r.version_id,
            response_id: &r.id,
            version: 1,
            definition_version: r.consultation.version,
            channel: r.channel,
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

impl Store {
    /// Stores `rows` as new responses in one transaction: all of them or
    /// none.
    pub fn insert_fresh(&self, rows: &[NewRow]) -> Result<usize, StorageError> {
        let mut conn = self.conn()?;
        // A batch this size outgrows SQLite's default 2 MB page cache,
        // which would spill pages to the log before the commit. Foreign
        // keys are checked once per batch rather than five times per row:
        // each row refers only to its consultation,
        // checked below, and to the response made beside it.
        let sqlite = matches!(&*conn, super::AnyConnection::Sqlite(_));
        if sqlite {
            conn.batch_execute("PRAGMA cache_size = -262144; PRAGMA foreign_keys = OFF;")?;
        }
        let result = write_transaction(&mut conn, |conn| {
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
                    return Err(StorageError::Refused(format!("no consultation {id}")));
                }
            }
            insert_rows(conn, rows)?;
            Ok(rows.len())
        });
        if sqlite {
            let restore = format!("{} PRAGMA foreign_keys = ON;", super::backend::SQLITE_CACHE);
            conn.batch_execute(&restore)?;
        }
        result
    }
}
