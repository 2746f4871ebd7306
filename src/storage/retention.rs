//! Erasing identifying answers once a consultation's retention period has
//! passed, for good, leaving the rest of each response for analysis.
use super::backend::write_transaction;
use super::consultations::bump_data_version;
use super::schema::{current_documents, current_responses, drafts, response_versions, responses};
use super::{Conn, StorageError, Store};
use crate::domain::closed_codes;
use diesel::result::Error as DieselError;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use serde_json::Value;
use uuid::Uuid;

impl Store {
    /// Deletes the answers to `questions` of every version of the
    /// consultation's responses first submitted before `cutoff`, and the
    /// same answers in their private-link drafts. Returns the answers
    /// erased per question.
    pub fn erase_identifying(
        &self,
        consultation_id: Uuid,
        questions: &[String],
        cutoff: chrono::NaiveDateTime,
    ) -> Result<Vec<(String, usize)>, StorageError> {
        let cid = consultation_id.to_string();
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| {
            let old: Vec<String> = responses::table
                .filter(responses::consultation_id.eq(&cid))
                .filter(responses::created_at.lt(cutoff))
                .select(responses::id)
                .load(conn)?;
            let mut erased: Vec<(String, usize)> =
                questions.iter().map(|q| (q.clone(), 0)).collect();
            for chunk in old.chunks(500) {
                let versions: Vec<(String, String)> = response_versions::table
                    .filter(response_versions::response_id.eq_any(chunk))
                    .select((response_versions::id, response_versions::answers))
                    .load(conn)?;
                for (id, text) in versions {
                    let Some((kept, removed)) = without(&text, questions) else {
                        continue;
                    };
                    for (q, n) in erased.iter_mut() {
                        *n += removed.iter().filter(|r| *r == q).count();
                    }
                    diesel::update(response_versions::table.filter(response_versions::id.eq(&id)))
                        .set(response_versions::answers.eq(kept))
                        .execute(conn)?;
                }
                erase_current(conn, chunk, questions)?;
                let linked: Vec<(String, String)> = drafts::table
                    .filter(drafts::response_id.eq_any(chunk))
                    .select((drafts::id, drafts::answers))
                    .load(conn)?;
                for (id, text) in linked {
                    if let Some((kept, _)) = without(&text, questions) {
                        diesel::update(drafts::table.filter(drafts::id.eq(&id)))
                            .set(drafts::answers.eq(kept))
                            .execute(conn)?;
                    }
                }
            }
            if erased.iter().any(|(_, n)| *n > 0) {
                bump_data_version(conn, &cid)?;
            }
            Ok::<_, StorageError>(erased)
        })
    }
}

/// Takes the answers to `questions` out of the rows of `response_ids`.
fn erase_current(
    conn: &mut Conn,
    response_ids: &[String],
    questions: &[String],
) -> Result<(), DieselError> {
    let rows: Vec<(String, String)> = current_responses::table
        .filter(current_responses::response_id.eq_any(response_ids))
        .select((current_responses::response_id, current_responses::closed))
        .load(conn)?;
    for (id, codes) in rows {
        diesel::update(current_responses::table.filter(current_responses::response_id.eq(&id)))
            .set(current_responses::closed.eq(closed_codes::without(&codes, questions)))
            .execute(conn)?;
    }
    let docs: Vec<(String, String)> = current_documents::table
        .filter(current_documents::response_id.eq_any(response_ids))
        .select((current_documents::response_id, current_documents::answers))
        .load(conn)?;
    for (id, json) in docs {
        if let Some((kept, _)) = without(&json, questions) {
            diesel::update(current_documents::table.filter(current_documents::response_id.eq(&id)))
                .set(current_documents::answers.eq(kept))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// A JSON object without the keys in `questions`, and the keys taken out;
/// `None` when there was nothing to take (or it is not an object).
fn without(text: &str, questions: &[String]) -> Option<(String, Vec<String>)> {
    let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(text) else {
        return None;
    };
    let removed: Vec<String> = questions
        .iter()
        .filter(|q| map.remove(q.as_str()).is_some())
        .cloned()
        .collect();
    (!removed.is_empty()).then(|| (Value::Object(map).to_string(), removed))
}

#[cfg(test)]
mod tests {
    use super::without;

    #[test]
    fn only_the_named_keys_go() {
        let q = vec!["name".to_string(), "email".to_string()];
        let (kept, removed) =
            without(r#"{"name":"A","q1":"agree","email":"a@b"}"#, &q).expect("changed");
        assert_eq!(kept, r#"{"q1":"agree"}"#);
        assert_eq!(removed, q);
        assert_eq!(without(r#"{"q1":"agree"}"#, &q), None);
        assert_eq!(without("not json", &q), None);
    }
}
