//! Erasing identifying answers once a consultation's retention period has
//! passed, for good, leaving the rest of each response for analysis.
use super::backend::write_transaction;
use super::consultations::bump_data_version;
use super::schema::{answers, drafts, response_versions, responses};
use super::{StorageError, Store};
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
            let mut erased = Vec::new();
            for chunk in old.chunks(500) {
                let versions: Vec<String> = response_versions::table
                    .filter(response_versions::response_id.eq_any(chunk))
                    .select(response_versions::id)
                    .load(conn)?;
                for q in questions {
                    let mut n = 0;
                    for vs in versions.chunks(500) {
                        n += diesel::delete(
                            answers::table
                                .filter(answers::question_id.eq(q))
                                .filter(answers::response_version_id.eq_any(vs)),
                        )
                        .execute(conn)?;
                    }
                    match erased
                        .iter_mut()
                        .find(|(name, _): &&mut (String, usize)| name == q)
                    {
                        Some((_, total)) => *total += n,
                        None => erased.push((q.clone(), n)),
                    }
                }
                super::current::erase(conn, chunk, questions)?;
                let linked: Vec<(String, String)> = drafts::table
                    .filter(drafts::response_id.eq_any(chunk))
                    .select((drafts::id, drafts::answers))
                    .load(conn)?;
                for (id, text) in linked {
                    let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(&text) else {
                        continue;
                    };
                    let before = map.len();
                    map.retain(|k, _| !questions.contains(k));
                    if map.len() != before {
                        diesel::update(drafts::table.filter(drafts::id.eq(&id)))
                            .set(drafts::answers.eq(Value::Object(map).to_string()))
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
