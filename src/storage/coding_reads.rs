//! Reading staff's codings: the current themes of answers, every
//! answer's history, and quotes.
use super::codings::{AssignmentRow, assignment};
use super::schema::{coding_themes, codings, quotes, users};
use super::{StorageError, Store};
use crate::domain::QuestionId;
use crate::domain::coding::Assignment;
use diesel::{ExpressionMethods, JoinOnDsl, NullableExpressionMethods, QueryDsl, RunQueryDsl};
use std::collections::HashMap;
use uuid::Uuid;

/// One coding in an answer's history, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct CodingEntry {
    pub coded_by: Option<String>,
    pub coded_at: chrono::NaiveDateTime,
    /// coded, theme_deleted or themes_merged.
    pub reason: String,
    pub themes: Vec<Assignment>,
    pub current: bool,
    pub ended_because: Option<String>,
}

impl Store {
    /// The current themes of the given answers (those coded only).
    pub fn codings_of(
        &self,
        consultation_id: Uuid,
        question: &QuestionId,
        response_ids: &[String],
    ) -> Result<HashMap<String, Vec<Assignment>>, StorageError> {
        type Row = (String, Option<i32>, Option<String>, Option<f64>);
        let rows: Vec<Row> = codings::table
            .left_join(coding_themes::table)
            .filter(codings::consultation_id.eq(consultation_id.to_string()))
            .filter(codings::question_id.eq(question.as_str()))
            .filter(codings::current.eq(true))
            .filter(codings::response_id.eq_any(response_ids))
            .order((codings::response_id, coding_themes::theme))
            .select((
                codings::response_id,
                coding_themes::theme.nullable(),
                coding_themes::assigned_by.nullable(),
                coding_themes::confidence.nullable(),
            ))
            .load(&mut *self.conn()?)?;
        let mut out: HashMap<String, Vec<Assignment>> = HashMap::new();
        for (rid, theme, by, confidence) in rows {
            let themes = out.entry(rid.clone()).or_default();
            if let (Some(theme), Some(by)) = (theme, by) {
                themes.push(assignment(&(rid, theme, by, confidence))?);
            }
        }
        Ok(out)
    }

    /// Every current coding of the consultation's answers: (response,
    /// question, theme), the theme None for "no theme applies".
    pub fn current_codings(
        &self,
        consultation_id: Uuid,
    ) -> Result<Vec<(String, String, Option<i32>)>, StorageError> {
        Ok(codings::table
            .left_join(coding_themes::table)
            .filter(codings::consultation_id.eq(consultation_id.to_string()))
            .filter(codings::current.eq(true))
            .select((
                codings::response_id,
                codings::question_id,
                coding_themes::theme.nullable(),
            ))
            .load(&mut *self.conn()?)?)
    }

    /// An answer's codings, newest first, with the coder's email.
    pub fn coding_history(
        &self,
        consultation_id: Uuid,
        response_id: Uuid,
        question: &QuestionId,
    ) -> Result<Vec<CodingEntry>, StorageError> {
        let mut conn = self.conn()?;
        type Row = (
            String,
            Option<String>,
            chrono::NaiveDateTime,
            String,
            bool,
            Option<String>,
        );
        let rows: Vec<Row> = codings::table
            .left_join(users::table.on(codings::coded_by.eq(users::id.nullable())))
            .filter(codings::consultation_id.eq(consultation_id.to_string()))
            .filter(codings::response_id.eq(response_id.to_string()))
            .filter(codings::question_id.eq(question.as_str()))
            .order(codings::id.desc())
            .select((
                codings::id,
                users::email.nullable(),
                codings::coded_at,
                codings::reason,
                codings::current,
                codings::ended_because,
            ))
            .load(&mut *conn)?;
        let ids: Vec<&String> = rows.iter().map(|r| &r.0).collect();
        let themes: Vec<AssignmentRow> = coding_themes::table
            .filter(coding_themes::coding_id.eq_any(ids))
            .order(coding_themes::theme)
            .select((
                coding_themes::coding_id,
                coding_themes::theme,
                coding_themes::assigned_by,
                coding_themes::confidence,
            ))
            .load(&mut *conn)?;
        rows.into_iter()
            .map(|(id, coded_by, coded_at, reason, current, ended_because)| {
                Ok(CodingEntry {
                    coded_by,
                    coded_at,
                    reason,
                    current,
                    ended_because,
                    themes: themes
                        .iter()
                        .filter(|t| t.0 == id)
                        .map(assignment)
                        .collect::<Result<_, _>>()?,
                })
            })
            .collect()
    }

    /// Every quote of the consultation: (response, question, theme).
    pub fn quotes(
        &self,
        consultation_id: Uuid,
    ) -> Result<Vec<(String, String, i32)>, StorageError> {
        Ok(quotes::table
            .filter(quotes::consultation_id.eq(consultation_id.to_string()))
            .order((quotes::question_id, quotes::theme, quotes::marked_at))
            .select((quotes::response_id, quotes::question_id, quotes::theme))
            .load(&mut *self.conn()?)?)
    }
}
