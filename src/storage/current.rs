//! What analyses read: every answer of each response's current version.
use super::schema::current_answers;
use super::{StorageError, Store};
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable)]
pub struct CurrentAnswer {
    pub response_id: String,
    pub submitted_at: chrono::NaiveDateTime,
    pub question_id: String,
    pub position: i32,
    pub option_code: Option<String>,
    pub text_value: Option<String>,
}

/// A consultation's current answers, with the data version they are at
/// least as new as.
#[derive(Debug, Clone)]
pub struct CurrentAnswers {
    pub data_version: i64,
    pub rows: Vec<CurrentAnswer>,
}

impl Store {
    pub fn current_answers(&self, consultation_id: Uuid) -> Result<CurrentAnswers, StorageError> {
        // The version is read before the rows, so the rows are never older
        // than the version they are cached under: at worst newer, which the
        // next check of the version corrects.
        let data_version = self.data_version(consultation_id)?;
        let mut conn = self.conn()?;
        let rows = current_answers::table
            .filter(current_answers::consultation_id.eq(consultation_id.to_string()))
            .order((
                current_answers::response_id,
                current_answers::question_id,
                current_answers::position,
            ))
            .select((
                current_answers::response_id,
                current_answers::submitted_at,
                current_answers::question_id,
                current_answers::position,
                current_answers::option_code,
                current_answers::text_value,
            ))
            .load::<CurrentAnswer>(&mut conn)?;
        Ok(CurrentAnswers { data_version, rows })
    }
}
