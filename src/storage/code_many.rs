//! Coding many answers at once, for codings that come from outside a
//! person's reading (a codebook's rules for the demo, later a machine):
//! only answers not coded yet are coded, so a person's coding is never
//! replaced.
use super::backend::{insert_many, write_transaction};
use super::consultations::bump_data_version;
use super::schema::{coding_themes, codings};
use super::{StorageError, Store, now};
use crate::domain::QuestionId;
use crate::domain::coding::{Assignment, ThemeId};
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use std::collections::HashSet;
use uuid::Uuid;

#[derive(diesel::Insertable)]
#[diesel(table_name = codings)]
struct NewCoding<'a> {
    id: String,
    consultation_id: &'a str,
    response_id: String,
    question_id: &'a str,
    coded_by: Option<&'a str>,
    coded_at: chrono::NaiveDateTime,
    reason: &'a str,
    current: bool,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = coding_themes)]
struct NewCodingTheme<'a> {
    coding_id: &'a str,
    theme: i32,
    assigned_by: &'a str,
    confidence: Option<f64>,
}

/// Rows per statement: well under both backends' limit on parameters.
const ROWS: usize = 500;

impl Store {
    /// Codes the given answers of `question` that are not coded yet, each
    /// with its assignments, in one transaction; `reason` says where the
    /// codings came from. Returns how many were coded.
    pub fn code_many(
        &self,
        consultation_id: Uuid,
        question: &QuestionId,
        answers: &[(Uuid, Vec<Assignment>)],
        reason: &str,
    ) -> Result<usize, StorageError> {
        let cid = consultation_id.to_string();
        let q = question.as_str();
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| {
            let live: Vec<i32> = super::schema::themes::table
                .filter(super::schema::themes::consultation_id.eq(&cid))
                .filter(super::schema::themes::question_id.eq(q))
                .filter(super::schema::themes::deleted_at.is_null())
                .select(super::schema::themes::number)
                .load(conn)?;
            if let Some(bad) = answers
                .iter()
                .flat_map(|(_, a)| a.iter().map(|t| t.id))
                .find(|t: &ThemeId| !live.contains(&t.as_i32()))
            {
                return Err(StorageError::NoTheme(bad));
            }
            let coded: HashSet<String> = codings::table
                .filter(codings::consultation_id.eq(&cid))
                .filter(codings::question_id.eq(q))
                .filter(codings::current.eq(true))
                .select(codings::response_id)
                .load::<String>(conn)?
                .into_iter()
                .collect();
            let at = now();
            let mut rows = Vec::new();
            let mut themed = Vec::new();
            for (response, assigned) in answers {
                let response = response.to_string();
                if coded.contains(&response) {
                    continue;
                }
                rows.push(NewCoding {
                    id: Uuid::now_v7().to_string(),
                    consultation_id: &cid,
                    response_id: response,
                    question_id: q,
                    coded_by: None,
                    coded_at: at,
                    reason,
                    current: true,
                });
                themed.push(assigned);
            }
            let mut links = Vec::new();
            for (row, assigned) in rows.iter().zip(&themed) {
                for a in assigned.iter() {
                    links.push(NewCodingTheme {
                        coding_id: &row.id,
                        theme: a.id.as_i32(),
                        assigned_by: a.assigned_by.as_str(),
                        confidence: a.confidence,
                    });
                }
            }
            for chunk in rows.chunks(ROWS) {
                insert_many!(&mut *conn, codings::table, chunk)?;
            }
            for chunk in links.chunks(ROWS) {
                insert_many!(&mut *conn, coding_themes::table, chunk)?;
            }
            bump_data_version(conn, &cid)?;
            Ok(rows.len())
        })
    }
}
