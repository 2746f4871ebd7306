//! A member's withdrawal: their response deleted for good.
use super::backend::{first_locked, write_transaction};
use super::consultations::bump_data_version;
use super::schema::{current_documents, current_responses, drafts, response_versions, responses};
use super::{StorageError, Store};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, RunQueryDsl};
use uuid::Uuid;

impl Store {
    /// Deletes a response for good (its versions and private-link
    /// draft go with it) when `receipt` is its receipt. Returns whether it
    /// was deleted.
    pub fn withdraw(&self, response_id: Uuid, receipt: &str) -> Result<bool, StorageError> {
        let id = response_id.to_string();
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| {
            // The draft first, then the response, as a submission through
            // the draft locks them: a change being stored is waited for
            // (and deleted with the rest), never deadlocked with.
            let _draft: Option<String> = first_locked!(
                conn,
                drafts::table
                    .filter(drafts::response_id.eq(&id))
                    .select(drafts::id)
            )?;
            let found: Option<(String, String)> = first_locked!(
                conn,
                responses::table
                    .filter(responses::id.eq(&id))
                    .select((responses::receipt, responses::consultation_id))
            )?;
            let Some((stored, consultation_id)) = found else {
                return Ok(false);
            };
            if !crate::domain::tokens::same_receipt(&stored, receipt) {
                return Ok(false);
            }
            // Children first: not every SQLite file enforces the cascade.
            super::codings::delete_for_response(conn, &id)?;
            diesel::delete(current_responses::table.filter(current_responses::response_id.eq(&id)))
                .execute(conn)?;
            diesel::delete(current_documents::table.filter(current_documents::response_id.eq(&id)))
                .execute(conn)?;
            diesel::delete(response_versions::table.filter(response_versions::response_id.eq(&id)))
                .execute(conn)?;
            diesel::delete(drafts::table.filter(drafts::response_id.eq(&id))).execute(conn)?;
            diesel::delete(responses::table.filter(responses::id.eq(&id))).execute(conn)?;
            bump_data_version(conn, &consultation_id)?;
            Ok::<_, StorageError>(true)
        })
    }
}
