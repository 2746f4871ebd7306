//! Staff's coding of free-text answers. Each act of coding an answer adds
//! a row and ends the one before it, so the history is kept; an answer
//! whose member changes it goes back to "not coded", its old coding kept.
use super::backend::{first_locked, write_transaction};
use super::consultations::bump_data_version;
use super::schema::{coding_themes, codings, current_responses, quotes, responses, themes};
use super::{Conn, StorageError, Store, now};
use crate::domain::QuestionId;
use crate::domain::coding::{AssignedBy, Assignment, ThemeId};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, RunQueryDsl};
use uuid::Uuid;

/// Why a coding stopped being current.
pub(super) const RECODED: &str = "recoded";
pub(super) const ANSWER_CHANGED: &str = "answer_changed";

/// Recoding every answer that carries `remove`: without it, with `add`
/// in its place when given.
pub(super) struct Recode<'a> {
    pub consultation_id: &'a str,
    pub question: &'a str,
    pub remove: ThemeId,
    pub add: Option<ThemeId>,
    pub by: &'a str,
}

pub(super) type AssignmentRow = (String, i32, String, Option<f64>);

pub(super) fn assignment(
    (_, theme, by, confidence): &AssignmentRow,
) -> Result<Assignment, StorageError> {
    Ok(Assignment {
        id: ThemeId::new(i64::from(*theme))
            .ok_or_else(|| StorageError::Corrupt(format!("coded theme {theme}")))?,
        assigned_by: AssignedBy::parse(by)
            .ok_or_else(|| StorageError::Corrupt(format!("assigned by '{by}'")))?,
        confidence: *confidence,
    })
}

/// Ends the current coding of an answer, if any; returns whether one was.
fn end_current(
    conn: &mut Conn,
    response_id: &str,
    question: &str,
    because: &str,
) -> Result<bool, StorageError> {
    let n = diesel::update(
        codings::table
            .filter(codings::response_id.eq(response_id))
            .filter(codings::question_id.eq(question))
            .filter(codings::current.eq(true)),
    )
    .set((
        codings::current.eq(false),
        codings::ended_at.eq(now()),
        codings::ended_because.eq(because),
    ))
    .execute(conn)?;
    Ok(n > 0)
}

/// Adds a current coding; the caller has ended the previous one.
fn insert_coding(
    conn: &mut Conn,
    (cid, response_id, question): (&str, &str, &str),
    by: Option<&str>,
    reason: &str,
    themes: &[Assignment],
) -> Result<(), StorageError> {
    let id = Uuid::now_v7().to_string();
    diesel::insert_into(codings::table)
        .values((
            codings::id.eq(&id),
            codings::consultation_id.eq(cid),
            codings::response_id.eq(response_id),
            codings::question_id.eq(question),
            codings::coded_by.eq(by),
            codings::coded_at.eq(now()),
            codings::reason.eq(reason),
            codings::current.eq(true),
        ))
        .execute(conn)?;
    for t in themes {
        diesel::insert_into(coding_themes::table)
            .values((
                coding_themes::coding_id.eq(&id),
                coding_themes::theme.eq(t.id.as_i32()),
                coding_themes::assigned_by.eq(t.assigned_by.as_str()),
                coding_themes::confidence.eq(t.confidence),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// See `Recode`; returns how many answers were recoded.
pub(super) fn recode_all(conn: &mut Conn, r: &Recode<'_>) -> Result<usize, StorageError> {
    let carrying: Vec<(String, String)> = coding_themes::table
        .inner_join(codings::table)
        .filter(codings::consultation_id.eq(r.consultation_id))
        .filter(codings::question_id.eq(r.question))
        .filter(codings::current.eq(true))
        .filter(coding_themes::theme.eq(r.remove.as_i32()))
        .select((codings::id, codings::response_id))
        .load(conn)?;
    let reason = if r.add.is_some() {
        "themes_merged"
    } else {
        "theme_deleted"
    };
    for (coding_id, response_id) in &carrying {
        let rows: Vec<AssignmentRow> = coding_themes::table
            .filter(coding_themes::coding_id.eq(coding_id))
            .order(coding_themes::theme)
            .select((
                coding_themes::coding_id,
                coding_themes::theme,
                coding_themes::assigned_by,
                coding_themes::confidence,
            ))
            .load(conn)?;
        let old: Vec<Assignment> = rows.iter().map(assignment).collect::<Result<_, _>>()?;
        let removed = old.iter().find(|a| a.id == r.remove).cloned();
        let mut new: Vec<Assignment> = old.into_iter().filter(|a| a.id != r.remove).collect();
        if let (Some(add), Some(removed)) = (r.add, removed)
            && !new.iter().any(|a| a.id == add)
        {
            new.push(Assignment { id: add, ..removed });
            new.sort_by_key(|a| a.id);
        }
        end_current(conn, response_id, r.question, reason)?;
        insert_coding(
            conn,
            (r.consultation_id, response_id, r.question),
            Some(r.by),
            reason,
            &new,
        )?;
    }
    Ok(carrying.len())
}

/// Quotes of a retired theme move to the theme it merged into, or go.
pub(super) fn move_quotes(conn: &mut Conn, r: &Recode<'_>) -> Result<(), StorageError> {
    let of_theme = |t: ThemeId| {
        quotes::table
            .filter(quotes::consultation_id.eq(r.consultation_id))
            .filter(quotes::question_id.eq(r.question))
            .filter(quotes::theme.eq(t.as_i32()))
    };
    if let Some(add) = r.add {
        let already: Vec<String> = of_theme(add).select(quotes::response_id).load(conn)?;
        diesel::update(of_theme(r.remove).filter(quotes::response_id.ne_all(already)))
            .set(quotes::theme.eq(add.as_i32()))
            .execute(conn)?;
    }
    diesel::delete(of_theme(r.remove)).execute(conn)?;
    Ok(())
}

/// After a member changed their answers: the codings and quotes of every
/// free-text answer that changed are ended, inside the caller's
/// transaction. `changed` says whether a question's text changed.
pub(super) fn uncode_changed(
    conn: &mut Conn,
    response_id: &str,
    changed: impl Fn(&str) -> bool,
) -> Result<(), StorageError> {
    let coded: Vec<String> = codings::table
        .filter(codings::response_id.eq(response_id))
        .filter(codings::current.eq(true))
        .select(codings::question_id)
        .load(conn)?;
    let quoted: Vec<String> = quotes::table
        .filter(quotes::response_id.eq(response_id))
        .select(quotes::question_id)
        .load(conn)?;
    for q in coded.iter().filter(|q| changed(q)) {
        end_current(conn, response_id, q, ANSWER_CHANGED)?;
    }
    for q in quoted.iter().filter(|q| changed(q)) {
        diesel::delete(
            quotes::table
                .filter(quotes::response_id.eq(response_id))
                .filter(quotes::question_id.eq(q)),
        )
        .execute(conn)?;
    }
    Ok(())
}

/// A withdrawn response's codings and quotes, inside its transaction.
pub(super) fn delete_for_response(conn: &mut Conn, response_id: &str) -> Result<(), StorageError> {
    let ids = codings::table
        .filter(codings::response_id.eq(response_id))
        .select(codings::id);
    diesel::delete(coding_themes::table.filter(coding_themes::coding_id.eq_any(ids)))
        .execute(conn)?;
    diesel::delete(codings::table.filter(codings::response_id.eq(response_id))).execute(conn)?;
    diesel::delete(quotes::table.filter(quotes::response_id.eq(response_id))).execute(conn)?;
    Ok(())
}

/// Locks the response, checks it is this consultation's and has an
/// answer to `question`; the error says which is missing.
fn lock_answer(conn: &mut Conn, cid: &str, rid: &str, question: &str) -> Result<(), StorageError> {
    let found: Option<String> = first_locked!(
        conn,
        responses::table
            .filter(responses::id.eq(rid))
            .filter(responses::consultation_id.eq(cid))
            .select(responses::id)
    )?;
    if found.is_none() {
        return Err(StorageError::NoAnswer);
    }
    let closed: Option<String> = current_responses::table
        .filter(current_responses::response_id.eq(rid))
        .select(current_responses::closed)
        .first(conn)
        .optional()?;
    let answered = closed
        .is_some_and(|c| crate::domain::closed_codes::entries(&c).any(|(q, _)| q == question));
    if answered {
        Ok(())
    } else {
        Err(StorageError::NoAnswer)
    }
}

fn check_live(
    conn: &mut Conn,
    cid: &str,
    question: &str,
    ids: &[ThemeId],
) -> Result<(), StorageError> {
    let live: Vec<i32> = themes::table
        .filter(themes::consultation_id.eq(cid))
        .filter(themes::question_id.eq(question))
        .filter(themes::deleted_at.is_null())
        .select(themes::number)
        .load(conn)?;
    match ids.iter().find(|t| !live.contains(&t.as_i32())) {
        Some(t) => Err(StorageError::NoTheme(*t)),
        None => Ok(()),
    }
}

impl Store {
    /// A person's coding of one answer, replacing its current coding
    /// (which stays in the history). No themes means "read, no theme
    /// applies". Returns the answer's themes as now stored.
    pub fn code_answer(
        &self,
        consultation_id: Uuid,
        response_id: Uuid,
        question: &QuestionId,
        themes: &[ThemeId],
        by: &str,
    ) -> Result<Vec<Assignment>, StorageError> {
        let (cid, rid, q) = (
            consultation_id.to_string(),
            response_id.to_string(),
            question.as_str(),
        );
        let mut ids = themes.to_vec();
        ids.sort();
        ids.dedup();
        let assigned: Vec<Assignment> = ids
            .into_iter()
            .map(|id| Assignment {
                id,
                assigned_by: AssignedBy::Person,
                confidence: None,
            })
            .collect();
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| {
            lock_answer(conn, &cid, &rid, q)?;
            let ids: Vec<ThemeId> = assigned.iter().map(|a| a.id).collect();
            check_live(conn, &cid, q, &ids)?;
            end_current(conn, &rid, q, RECODED)?;
            insert_coding(conn, (&cid, &rid, q), Some(by), "coded", &assigned)?;
            bump_data_version(conn, &cid)?;
            Ok(assigned.clone())
        })
    }

    /// Marks (or, with `on` false, unmarks) an answer as a quote for a
    /// theme it carries.
    pub fn mark_quote(
        &self,
        consultation_id: Uuid,
        response_id: Uuid,
        question: &QuestionId,
        theme: ThemeId,
        on: bool,
        by: &str,
    ) -> Result<(), StorageError> {
        let (cid, rid, q) = (
            consultation_id.to_string(),
            response_id.to_string(),
            question.as_str(),
        );
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| {
            lock_answer(conn, &cid, &rid, q)?;
            check_live(conn, &cid, q, &[theme])?;
            let this = quotes::table
                .filter(quotes::response_id.eq(&rid))
                .filter(quotes::question_id.eq(q))
                .filter(quotes::theme.eq(theme.as_i32()));
            diesel::delete(this).execute(conn)?;
            if on {
                diesel::insert_into(quotes::table)
                    .values((
                        quotes::consultation_id.eq(&cid),
                        quotes::response_id.eq(&rid),
                        quotes::question_id.eq(q),
                        quotes::theme.eq(theme.as_i32()),
                        quotes::marked_by.eq(by),
                        quotes::marked_at.eq(now()),
                    ))
                    .execute(conn)?;
            }
            bump_data_version(conn, &cid)?;
            Ok(())
        })
    }
}
