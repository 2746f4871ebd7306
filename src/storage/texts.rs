//! Members' free-text answers as staff read them: a page of them by
//! response, and a word search over one question's answers.
use super::schema::current_documents;
use super::{StorageError, Store};
use crate::domain::QuestionId;
use diesel::connection::DefaultLoadingMode;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl, TextExpressionMethods};
use std::collections::HashMap;
use uuid::Uuid;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

fn text_of(document: &str, question: &str) -> Result<Option<String>, StorageError> {
    let mut doc: serde_json::Map<String, serde_json::Value> = serde_json::from_str(document)?;
    Ok(match doc.remove(question) {
        Some(serde_json::Value::String(t)) if crate::domain::coding::is_answer(&t) => Some(t),
        _ => None,
    })
}

/// Characters that LIKE reads as patterns, or that a stored JSON document
/// writes escaped: a word holding one is looked for without the database's
/// help.
fn plain(word: &str) -> bool {
    !word.contains(['%', '_', '\\', '"']) && !word.chars().any(char::is_control)
}

impl Store {
    /// The answers to `question` of the given responses, by response.
    pub fn answer_texts(
        &self,
        consultation_id: Uuid,
        question: &QuestionId,
        response_ids: &[String],
    ) -> Result<HashMap<String, String>, StorageError> {
        let rows: Vec<(String, String)> = current_documents::table
            .filter(current_documents::consultation_id.eq(consultation_id.to_string()))
            .filter(current_documents::response_id.eq_any(response_ids))
            .select((current_documents::response_id, current_documents::answers))
            .load(&mut *self.conn()?)?;
        let mut out = HashMap::with_capacity(rows.len());
        for (id, doc) in rows {
            if let Some(t) = text_of(&doc, question.as_str())? {
                out.insert(id, t);
            }
        }
        Ok(out)
    }

    /// All the answers (the API's JSON object) of the given responses, by
    /// response.
    pub fn documents_of(
        &self,
        consultation_id: Uuid,
        response_ids: &[String],
    ) -> Result<HashMap<String, String>, StorageError> {
        let rows: Vec<(String, String)> = current_documents::table
            .filter(current_documents::consultation_id.eq(consultation_id.to_string()))
            .filter(current_documents::response_id.eq_any(response_ids))
            .select((current_documents::response_id, current_documents::answers))
            .load(&mut *self.conn()?)?;
        Ok(rows.into_iter().collect())
    }

    /// The responses whose answer to `question` holds every one of
    /// `words`, whatever their case.
    pub fn search_answers(
        &self,
        consultation_id: Uuid,
        question: &QuestionId,
        words: &[String],
    ) -> Result<Vec<String>, StorageError> {
        let words: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let mut query = current_documents::table
            .filter(current_documents::consultation_id.eq(consultation_id.to_string()))
            .select((current_documents::response_id, current_documents::answers))
            .into_boxed();
        // The database narrows the documents to those holding every word
        // anywhere; the answer itself is then checked here.
        for w in words.iter().filter(|w| plain(w) && w.is_ascii()) {
            query = query.filter(lower(current_documents::answers).like(format!("%{w}%")));
        }
        let mut conn = self.conn()?;
        let mut out = Vec::new();
        for row in query.load_iter::<(String, String), DefaultLoadingMode>(&mut *conn)? {
            let (id, doc) = row?;
            if let Some(t) = text_of(&doc, question.as_str())? {
                let t = t.to_lowercase();
                if words.iter().all(|w| t.contains(w.as_str())) {
                    out.push(id);
                }
            }
        }
        Ok(out)
    }
}
