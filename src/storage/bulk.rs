//! Storing many new responses at once with multi-row inserts: synthetic
//! data at scale, where a response per transaction would take minutes.
use super::backend::{insert_many, write_transaction};
use super::consultations::bump_data_version;
use super::current::NewCurrent;
use super::responses::{NewAnswer, NewResponse, NewVersion, answer_rows};
use super::schema::{answers, current_responses, response_versions, responses};
use super::{StorageError, Store};
use crate::domain::tokens::new_receipt;
use diesel::RunQueryDsl;
use uuid::Uuid;

/// Rows per statement: well under both backends' limits on bound
/// parameters (answers have five columns).
const ROWS: usize = 1000;

/// A response known to be new (its submission id was made with it).
pub struct FreshResponse<'a> {
    pub submission_id: Uuid,
    pub answers: &'a crate::domain::Answers,
    pub submitted_at: chrono::NaiveDateTime,
}

impl Store {
    /// Stores `fresh` as new responses to `consultation` in one
    /// transaction: all of them or none.
    pub fn insert_fresh(
        &self,
        consultation: super::StoredConsultation,
        channel: &str,
        fresh: &[FreshResponse<'_>],
    ) -> Result<usize, StorageError> {
        let cid = consultation.id.to_string();
        let ids: Vec<(String, String)> = fresh
            .iter()
            .map(|_| (Uuid::now_v7().to_string(), Uuid::now_v7().to_string()))
            .collect();
        let hashes: Vec<String> = fresh.iter().map(|f| f.answers.content_hash()).collect();
        let mut response_rows = Vec::with_capacity(fresh.len());
        let mut version_rows = Vec::with_capacity(fresh.len());
        let mut answer_list: Vec<NewAnswer<'_>> = Vec::new();
        let mut current_rows = Vec::with_capacity(fresh.len());
        for ((f, (id, version_id)), hash) in fresh.iter().zip(&ids).zip(&hashes) {
            response_rows.push(NewResponse {
                id: id.clone(),
                consultation_id: cid.clone(),
                submission_id: Some(f.submission_id.to_string()),
                submission_hash: hash,
                receipt: new_receipt(),
                current_version: 1,
                created_at: f.submitted_at,
                updated_at: f.submitted_at,
            });
            version_rows.push(NewVersion {
                id: version_id.clone(),
                response_id: id,
                version: 1,
                definition_version: consultation.version,
                channel,
                answers_hash: hash,
                submitted_at: f.submitted_at,
            });
            answer_list.extend(answer_rows(version_id, f.answers));
            current_rows.push(NewCurrent::new(
                &cid,
                id,
                consultation.version,
                f.answers,
                f.submitted_at,
            ));
        }
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| {
            for chunk in response_rows.chunks(ROWS) {
                insert_many!(&mut *conn, responses::table, chunk)?;
            }
            for chunk in version_rows.chunks(ROWS) {
                insert_many!(&mut *conn, response_versions::table, chunk)?;
            }
            for chunk in answer_list.chunks(ROWS) {
                insert_many!(&mut *conn, answers::table, chunk)?;
            }
            for chunk in current_rows.chunks(ROWS) {
                insert_many!(&mut *conn, current_responses::table, chunk)?;
            }
            bump_data_version(conn, &cid)?;
            Ok::<_, StorageError>(fresh.len())
        })
    }
}
