//! Filling in the read model (`current`) for responses stored before it
//! existed, when the database is opened or migrated.
use super::current::NewCurrent;
use super::schema::{consultation_versions, current_documents, current_responses, responses};
use super::stamp::Stamp;
use super::{StorageError, Store, parse_uuid};
use crate::domain::{Consultation, closed_codes};
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use std::collections::HashMap;
use uuid::Uuid;

impl Store {
    /// Fills in the rows of responses stored before `current_responses`
    /// existed, from their stored versions. Returns how many.
    pub(super) fn fill_current(&self) -> Result<usize, StorageError> {
        // Every row here belongs to a stored response (they go together),
        // so equal counts mean nothing is missing: two index counts at each
        // start instead of a search through every response.
        let stored: i64 = responses::table.count().get_result(&mut *self.conn()?)?;
        let current: i64 = current_responses::table
            .count()
            .get_result(&mut *self.conn()?)?;
        if stored == current {
            return Ok(0);
        }
        let missing: Vec<String> = responses::table
            .filter(
                responses::id
                    .ne_all(current_responses::table.select(current_responses::response_id)),
            )
            .select(responses::id)
            .load(&mut *self.conn()?)?;
        let mut definitions: HashMap<(Uuid, i32), Consultation> = HashMap::new();
        for id in &missing {
            let Some(stored) = self.load_response(parse_uuid(id)?)? else {
                continue;
            };
            let key = (stored.consultation_id, stored.definition_version);
            let c = match definitions.entry(key) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let text: String = consultation_versions::table
                        .filter(consultation_versions::consultation_id.eq(key.0.to_string()))
                        .filter(consultation_versions::version.eq(key.1))
                        .select(consultation_versions::definition)
                        .first(&mut *self.conn()?)?;
                    e.insert(Consultation::from_json(&text).map_err(|e| {
                        StorageError::Corrupt(format!("stored definition {key:?}: {e:?}"))
                    })?)
                }
            };
            let cid = stored.consultation_id.to_string();
            let answers = stored.answers(c);
            let (document, _) = answers.stored()?;
            let codes = closed_codes::encode(&answers);
            NewCurrent::new(
                &cid,
                id,
                stored.definition_version,
                &codes,
                &document,
                &Stamp::new(stored.submitted_at),
            )
            .write(&mut *self.conn()?, true)?;
        }
        // What analyses hold in memory (or on disk) predates these rows.
        let mut conn = self.conn()?;
        for (id, _) in definitions.keys() {
            super::consultations::bump_data_version(&mut conn, &id.to_string())?;
        }
        Ok(missing.len())
    }
}

/// The migration after which stored closed answers also mark answered
/// free-text questions.
const TEXT_MARKS: &str = "20261201000009";

impl Store {
    /// Re-encodes every stored response's closed answers when the
    /// migration that added free-text marks has just been applied, so that
    /// responses stored before it count as answering their free text.
    pub(super) fn mark_free_text(&self, applied: &[String]) -> Result<usize, StorageError> {
        if !applied
            .iter()
            .any(|v| v.replace(['-', '_'], "").starts_with(TEXT_MARKS))
        {
            return Ok(0);
        }
        let rows: Vec<(String, String, i32)> = current_responses::table
            .select((
                current_responses::response_id,
                current_responses::consultation_id,
                current_responses::definition_version,
            ))
            .load(&mut *self.conn()?)?;
        let mut definitions: HashMap<(String, i32), Consultation> = HashMap::new();
        let mut done = 0;
        for chunk in rows.chunks(1000) {
            let mut conn = self.conn()?;
            super::backend::write_transaction(&mut conn, |conn| {
                for (rid, cid, version) in chunk {
                    let key = (cid.clone(), *version);
                    if !definitions.contains_key(&key) {
                        let text: String = consultation_versions::table
                            .filter(consultation_versions::consultation_id.eq(cid))
                            .filter(consultation_versions::version.eq(version))
                            .select(consultation_versions::definition)
                            .first(conn)?;
                        let c = Consultation::from_json(&text).map_err(|e| {
                            StorageError::Corrupt(format!("stored definition {key:?}: {e:?}"))
                        })?;
                        definitions.insert(key.clone(), c);
                    }
                    let Some(c) = definitions.get(&key) else {
                        continue;
                    };
                    let doc: String = current_documents::table
                        .filter(current_documents::response_id.eq(rid))
                        .select(current_documents::answers)
                        .first(conn)?;
                    let codes =
                        closed_codes::encode(&crate::domain::answers::from_document(c, &doc));
                    diesel::update(
                        current_responses::table.filter(current_responses::response_id.eq(rid)),
                    )
                    .set(current_responses::closed.eq(codes))
                    .execute(conn)?;
                }
                Ok::<_, StorageError>(())
            })?;
            done += chunk.len();
        }
        let mut conn = self.conn()?;
        for (cid, _) in definitions.keys() {
            super::consultations::bump_data_version(&mut conn, cid)?;
        }
        Ok(done)
    }
}
