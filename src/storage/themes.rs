//! Codebooks: each free-text question's themes. A theme is marked deleted
//! rather than removed, so that the history of codings keeps its meaning;
//! deleting or merging one recodes the answers that carried it, as a new
//! coding in their history.
use super::backend::{first_locked, write_transaction};
use super::codings::{Recode, recode_all};
use super::consultations::bump_data_version;
use super::schema::{coding_themes, codings, consultations, themes};
use super::{Conn, StorageError, Store, now};
use crate::domain::QuestionId;
use crate::domain::coding::{Codebook, Theme, ThemeDescription, ThemeId, ThemeLabel};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, RunQueryDsl};
use uuid::Uuid;

/// A theme with how many answers carry it now.
#[derive(Debug, Clone, PartialEq)]
pub struct CountedTheme {
    pub theme: Theme,
    pub count: u64,
}

/// A change to a theme; `None` leaves that part as it is.
#[derive(Debug, Clone, Default)]
pub struct ThemeChange {
    pub label: Option<ThemeLabel>,
    pub description: Option<ThemeDescription>,
}

type ThemeRow = (String, i32, String, String);

fn to_theme(
    question: &str,
    (_, number, label, description): ThemeRow,
) -> Result<Theme, StorageError> {
    let bad = |what: &str| StorageError::Corrupt(format!("theme {question}/{number}: {what}"));
    Ok(Theme {
        id: ThemeId::new(i64::from(number)).ok_or_else(|| bad("number"))?,
        label: ThemeLabel::parse(&label).map_err(|e| bad(&e.message))?,
        description: ThemeDescription::parse(&description).map_err(|e| bad(&e.message))?,
    })
}

/// Locks the consultation for a codebook change: one change at a time per
/// consultation, on PostgreSQL as on SQLite.
fn lock_consultation(conn: &mut Conn, cid: &str) -> Result<(), StorageError> {
    let found: Option<String> = first_locked!(
        conn,
        consultations::table
            .filter(consultations::id.eq(cid))
            .select(consultations::id)
    )?;
    found
        .map(|_| ())
        .ok_or_else(|| StorageError::NoConsultation(Uuid::parse_str(cid).unwrap_or_default()))
}

fn live<'a>(
    cid: &'a str,
    question: &'a str,
) -> themes::BoxedQuery<'a, <Conn as diesel::Connection>::Backend> {
    themes::table
        .filter(themes::consultation_id.eq(cid))
        .filter(themes::question_id.eq(question))
        .filter(themes::deleted_at.is_null())
        .into_boxed()
}

fn check_label_free(
    conn: &mut Conn,
    cid: &str,
    question: &str,
    label: &ThemeLabel,
    except: Option<ThemeId>,
) -> Result<(), StorageError> {
    let labels: Vec<(i32, String)> = live(cid, question)
        .select((themes::number, themes::label))
        .load(conn)?;
    let taken = labels
        .iter()
        .any(|(n, l)| l.to_lowercase() == label.key() && except.is_none_or(|e| e.as_i32() != *n));
    if taken {
        return Err(StorageError::ThemeLabelTaken(label.as_str().to_owned()));
    }
    Ok(())
}

fn find_live(conn: &mut Conn, cid: &str, question: &str, id: ThemeId) -> Result<(), StorageError> {
    let found: Option<i32> = live(cid, question)
        .filter(themes::number.eq(id.as_i32()))
        .select(themes::number)
        .first(conn)
        .optional()?;
    found.map(|_| ()).ok_or(StorageError::NoTheme(id))
}

impl Store {
    /// Every free-text question's live themes.
    pub fn codebook(&self, consultation_id: Uuid) -> Result<Codebook, StorageError> {
        let rows: Vec<ThemeRow> = themes::table
            .filter(themes::consultation_id.eq(consultation_id.to_string()))
            .filter(themes::deleted_at.is_null())
            .order((themes::question_id, themes::number))
            .select((
                themes::question_id,
                themes::number,
                themes::label,
                themes::description,
            ))
            .load(&mut *self.conn()?)?;
        let mut book = Codebook::default();
        for row in rows {
            let q = QuestionId::parse(&row.0)
                .map_err(|e| StorageError::Corrupt(format!("theme question: {e}")))?;
            let question = row.0.clone();
            let theme = to_theme(&question, row)?;
            book.themes.entry(q).or_default().push(theme);
        }
        Ok(book)
    }

    /// A question's live themes, each with how many answers carry it now.
    pub fn themes_counted(
        &self,
        consultation_id: Uuid,
        question: &QuestionId,
    ) -> Result<Vec<CountedTheme>, StorageError> {
        let cid = consultation_id.to_string();
        let mut conn = self.conn()?;
        let rows: Vec<ThemeRow> = live(&cid, question.as_str())
            .order(themes::number)
            .select((
                themes::question_id,
                themes::number,
                themes::label,
                themes::description,
            ))
            .load(&mut *conn)?;
        let counts: Vec<(i32, i64)> = coding_themes::table
            .inner_join(codings::table)
            .filter(codings::consultation_id.eq(&cid))
            .filter(codings::question_id.eq(question.as_str()))
            .filter(codings::current.eq(true))
            .group_by(coding_themes::theme)
            .select((coding_themes::theme, diesel::dsl::count_star()))
            .load(&mut *conn)?;
        rows.into_iter()
            .map(|row| {
                let n = row.1;
                Ok(CountedTheme {
                    theme: to_theme(question.as_str(), row)?,
                    count: counts
                        .iter()
                        .find(|(t, _)| *t == n)
                        .map_or(0, |(_, k)| u64::try_from(*k).unwrap_or(0)),
                })
            })
            .collect()
    }

    /// Adds a theme to a question's codebook; returns it.
    pub fn create_theme(
        &self,
        consultation_id: Uuid,
        question: &QuestionId,
        label: ThemeLabel,
        description: ThemeDescription,
        by: Option<&str>,
    ) -> Result<Theme, StorageError> {
        let cid = consultation_id.to_string();
        let q = question.as_str();
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| {
            lock_consultation(conn, &cid)?;
            check_label_free(conn, &cid, q, &label, None)?;
            let last: Option<i32> = themes::table
                .filter(themes::consultation_id.eq(&cid))
                .filter(themes::question_id.eq(q))
                .select(diesel::dsl::max(themes::number))
                .first(conn)?;
            let number = last.unwrap_or(0) + 1;
            diesel::insert_into(themes::table)
                .values((
                    themes::consultation_id.eq(&cid),
                    themes::question_id.eq(q),
                    themes::number.eq(number),
                    themes::label.eq(label.as_str()),
                    themes::description.eq(description.as_str()),
                    themes::created_at.eq(now()),
                ))
                .execute(conn)?;
            let id = ThemeId::new(i64::from(number))
                .ok_or_else(|| StorageError::Corrupt(format!("theme number {number}")))?;
            let detail = format!("{q} theme {id}: {}", label.as_str());
            super::accounts::insert_audit(conn, by, "theme_created", &detail)?;
            bump_data_version(conn, &cid)?;
            Ok(Theme {
                id,
                label,
                description,
            })
        })
    }

    /// Renames or re-describes a theme; returns it as it now is.
    pub fn change_theme(
        &self,
        consultation_id: Uuid,
        question: &QuestionId,
        id: ThemeId,
        change: ThemeChange,
        by: &str,
    ) -> Result<Theme, StorageError> {
        let cid = consultation_id.to_string();
        let q = question.as_str();
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| {
            lock_consultation(conn, &cid)?;
            find_live(conn, &cid, q, id)?;
            let target = themes::table
                .filter(themes::consultation_id.eq(&cid))
                .filter(themes::question_id.eq(q))
                .filter(themes::number.eq(id.as_i32()));
            if let Some(label) = &change.label {
                check_label_free(conn, &cid, q, label, Some(id))?;
                diesel::update(target)
                    .set(themes::label.eq(label.as_str()))
                    .execute(conn)?;
            }
            if let Some(d) = &change.description {
                diesel::update(target)
                    .set(themes::description.eq(d.as_str()))
                    .execute(conn)?;
            }
            let row: ThemeRow = target
                .select((
                    themes::question_id,
                    themes::number,
                    themes::label,
                    themes::description,
                ))
                .first(conn)?;
            let theme = to_theme(q, row)?;
            let detail = format!("{q} theme {id}: {}", theme.label.as_str());
            super::accounts::insert_audit(conn, Some(by), "theme_changed", &detail)?;
            bump_data_version(conn, &cid)?;
            Ok(theme)
        })
    }

    /// Deletes a theme: it leaves every answer (each recoded without it,
    /// in its history) and every quote. Returns how many answers it left.
    pub fn delete_theme(
        &self,
        consultation_id: Uuid,
        question: &QuestionId,
        id: ThemeId,
        by: &str,
    ) -> Result<usize, StorageError> {
        self.retire_theme(consultation_id, question, id, None, by)
    }

    /// Merges theme `from` into `into`: answers carrying `from` carry
    /// `into` instead (once), its quotes move, and `from` is deleted.
    /// Returns how many answers were recoded.
    pub fn merge_themes(
        &self,
        consultation_id: Uuid,
        question: &QuestionId,
        from: ThemeId,
        into: ThemeId,
        by: &str,
    ) -> Result<usize, StorageError> {
        if from == into {
            return Err(StorageError::MergeIntoItself(from));
        }
        self.retire_theme(consultation_id, question, from, Some(into), by)
    }

    fn retire_theme(
        &self,
        consultation_id: Uuid,
        question: &QuestionId,
        id: ThemeId,
        into: Option<ThemeId>,
        by: &str,
    ) -> Result<usize, StorageError> {
        let cid = consultation_id.to_string();
        let q = question.as_str();
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| {
            lock_consultation(conn, &cid)?;
            find_live(conn, &cid, q, id)?;
            if let Some(into) = into {
                find_live(conn, &cid, q, into)?;
            }
            let recode = Recode {
                consultation_id: &cid,
                question: q,
                remove: id,
                add: into,
                by,
            };
            let recoded = recode_all(conn, &recode)?;
            super::codings::move_quotes(conn, &recode)?;
            diesel::update(
                themes::table
                    .filter(themes::consultation_id.eq(&cid))
                    .filter(themes::question_id.eq(q))
                    .filter(themes::number.eq(id.as_i32())),
            )
            .set((
                themes::deleted_at.eq(now()),
                themes::merged_into.eq(into.map(ThemeId::as_i32)),
            ))
            .execute(conn)?;
            let (action, detail) = match into {
                Some(into) => ("themes_merged", format!("{q} theme {id} into {into}")),
                None => ("theme_deleted", format!("{q} theme {id}")),
            };
            super::accounts::insert_audit(conn, Some(by), action, &detail)?;
            bump_data_version(conn, &cid)?;
            Ok(recoded)
        })
    }
}
