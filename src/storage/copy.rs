//! Moving a whole deployment from one database to another (typically an
//! SQLite file into PostgreSQL), then checking that every table arrived.
use super::backend::{insert_many, write_transaction};
use super::schema::{
    api_tokens, audit_log, coding_themes, codings, consultation_versions, consultations,
    current_documents, current_responses, drafts, invitations, quotes, response_versions,
    responses, sessions, themes, users,
};
use super::{Conn, StorageError, Store};
use diesel::{Connection, ExpressionMethods, QueryDsl, RunQueryDsl, SelectableHelper};

/// Rows read and written per round trip: well under both backends' limit
/// on bound parameters.
const BATCH: i64 = 1000;

#[derive(diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = consultations)]
struct ConsultationRow {
    id: String,
    slug: String,
    title: String,
    current_version: i32,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
    data_version: i64,
    schedule_set: bool,
    opens_at: Option<chrono::NaiveDateTime>,
    closes_at: Option<chrono::NaiveDateTime>,
}

#[derive(diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = consultation_versions)]
struct ConsultationVersionRow {
    consultation_id: String,
    version: i32,
    definition: String,
    content_hash: String,
    loaded_at: chrono::NaiveDateTime,
}

#[derive(diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = responses)]
struct ResponseRow {
    id: String,
    consultation_id: String,
    submission_id: Option<String>,
    submission_hash: String,
    receipt: String,
    current_version: i32,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
}

#[derive(diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = response_versions)]
struct ResponseVersionRow {
    id: String,
    response_id: String,
    version: i32,
    definition_version: i32,
    channel: String,
    answers_hash: String,
    submitted_at: chrono::NaiveDateTime,
    answers: String,
}

#[derive(diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = current_responses)]
struct CurrentRow {
    consultation_id: String,
    response_id: String,
    submitted_at: chrono::NaiveDateTime,
    definition_version: i32,
    closed: String,
}

#[derive(diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = current_documents)]
struct DocumentRow {
    response_id: String,
    consultation_id: String,
    submitted_at: chrono::NaiveDateTime,
    answers: String,
}

#[derive(diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = drafts)]
struct DraftRow {
    id: String,
    consultation_id: String,
    token_hash: String,
    answers: String,
    response_id: Option<String>,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
}

#[derive(diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = users)]
struct UserRow {
    id: String,
    email: String,
    role: String,
    password_hash: String,
    disabled: bool,
    failed_sign_ins: i32,
    locked_until: Option<chrono::NaiveDateTime>,
    created_at: chrono::NaiveDateTime,
}

#[derive(diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = api_tokens)]
struct TokenRow {
    id: String,
    user_id: String,
    token_hash: String,
    created_at: chrono::NaiveDateTime,
    revoked_at: Option<chrono::NaiveDateTime>,
}

#[derive(diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = sessions)]
struct SessionRow {
    id: String,
    user_id: String,
    token_hash: String,
    created_at: chrono::NaiveDateTime,
    expires_at: chrono::NaiveDateTime,
}

#[derive(diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = audit_log)]
struct AuditRow {
    id: String,
    user_id: Option<String>,
    action: String,
    detail: String,
    at: chrono::NaiveDateTime,
}

#[derive(diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = invitations)]
struct InvitationRow {
    id: String,
    consultation_id: String,
    email: String,
    token_hash: String,
    created_at: chrono::NaiveDateTime,
    used_at: Option<chrono::NaiveDateTime>,
    draft_id: Option<String>,
}

#[derive(diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = themes)]
struct ThemeRow {
    consultation_id: String,
    question_id: String,
    number: i32,
    label: String,
    description: String,
    created_at: chrono::NaiveDateTime,
    deleted_at: Option<chrono::NaiveDateTime>,
    merged_into: Option<i32>,
}

#[derive(diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = codings)]
struct CodingRow {
    id: String,
    consultation_id: String,
    response_id: String,
    question_id: String,
    coded_by: Option<String>,
    coded_at: chrono::NaiveDateTime,
    reason: String,
    current: bool,
    ended_at: Option<chrono::NaiveDateTime>,
    ended_because: Option<String>,
}

#[derive(diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = coding_themes)]
struct CodingThemeRow {
    coding_id: String,
    theme: i32,
    assigned_by: String,
    confidence: Option<f64>,
}

#[derive(diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = quotes)]
struct QuoteRow {
    consultation_id: String,
    response_id: String,
    question_id: String,
    theme: i32,
    marked_by: Option<String>,
    marked_at: chrono::NaiveDateTime,
}

/// Rows per table, in the order the tables are copied.
pub type TableCounts = Vec<(&'static str, i64)>;

/// Copies a table keyed by one text column, in key order, `BATCH` rows at a
/// time, so that memory stays flat however large the table is.
macro_rules! copy_by_key {
    ($src:expr, $dst:expr, $table:ident, $row:ty, $key:ident) => {{
        let mut after: Option<String> = None;
        loop {
            let mut query = $table::table
                .select(<$row>::as_select())
                .order($table::$key)
                .limit(BATCH)
                .into_boxed();
            if let Some(last) = &after {
                query = query.filter($table::$key.gt(last.clone()));
            }
            let rows: Vec<$row> = query.load($src)?;
            let Some(last) = rows.last() else { break };
            after = Some(last.$key.clone());
            insert_many!(&mut *$dst, $table::table, &rows)?;
        }
    }};
}

/// Every table's row count.
pub fn table_counts(conn: &mut Conn) -> Result<TableCounts, diesel::result::Error> {
    Ok(vec![
        (
            "consultations",
            consultations::table.count().get_result(conn)?,
        ),
        (
            "consultation_versions",
            consultation_versions::table.count().get_result(conn)?,
        ),
        ("responses", responses::table.count().get_result(conn)?),
        (
            "response_versions",
            response_versions::table.count().get_result(conn)?,
        ),
        (
            "current_responses",
            current_responses::table.count().get_result(conn)?,
        ),
        (
            "current_documents",
            current_documents::table.count().get_result(conn)?,
        ),
        ("drafts", drafts::table.count().get_result(conn)?),
        ("users", users::table.count().get_result(conn)?),
        ("api_tokens", api_tokens::table.count().get_result(conn)?),
        ("sessions", sessions::table.count().get_result(conn)?),
        ("audit_log", audit_log::table.count().get_result(conn)?),
        ("invitations", invitations::table.count().get_result(conn)?),
        ("themes", themes::table.count().get_result(conn)?),
        ("codings", codings::table.count().get_result(conn)?),
        (
            "coding_themes",
            coding_themes::table.count().get_result(conn)?,
        ),
        ("quotes", quotes::table.count().get_result(conn)?),
    ])
}

impl Store {
    pub fn table_counts(&self) -> Result<TableCounts, StorageError> {
        Ok(table_counts(&mut *self.conn()?)?)
    }

    /// Copies every row of this store into `target`, which must be migrated
    /// and empty, in one transaction there; then compares the row counts of
    /// every table. Returns them.
    pub fn copy_into(&self, target: &Store) -> Result<TableCounts, StorageError> {
        let mut src = self.conn()?;
        let mut dst = target.conn()?;
        // One read transaction: the counts and rows come from one snapshot.
        src.transaction(|src| {
            let expected = table_counts(src)?;
            write_transaction(&mut dst, |dst| {
                let existing = table_counts(dst)?;
                if existing.iter().any(|(_, n)| *n > 0) {
                    return Err(StorageError::CopyTargetNotEmpty {
                        target: target.url().clone(),
                        counts: describe(&existing),
                    });
                }
                copy_rows(src, dst)?;
                let copied = table_counts(dst)?;
                if copied != expected {
                    return Err(StorageError::CopyCountsDiffer {
                        expected: describe(&expected),
                        copied: describe(&copied),
                    });
                }
                Ok(copied)
            })
        })
    }
}

fn copy_rows(src: &mut Conn, dst: &mut Conn) -> Result<(), StorageError> {
    copy_by_key!(src, dst, consultations, ConsultationRow, id);
    // Few rows (one per definition version): read at once.
    let versions: Vec<ConsultationVersionRow> = consultation_versions::table
        .select(ConsultationVersionRow::as_select())
        .load(src)?;
    for chunk in versions.chunks(BATCH as usize) {
        insert_many!(&mut *dst, consultation_versions::table, chunk)?;
    }
    copy_by_key!(src, dst, responses, ResponseRow, id);
    copy_by_key!(src, dst, response_versions, ResponseVersionRow, id);
    copy_by_key!(src, dst, current_responses, CurrentRow, response_id);
    copy_by_key!(src, dst, current_documents, DocumentRow, response_id);
    copy_by_key!(src, dst, drafts, DraftRow, id);
    copy_by_key!(src, dst, users, UserRow, id);
    copy_by_key!(src, dst, api_tokens, TokenRow, id);
    copy_by_key!(src, dst, sessions, SessionRow, id);
    copy_by_key!(src, dst, audit_log, AuditRow, id);
    copy_by_key!(src, dst, invitations, InvitationRow, id);
    copy_coding(src, dst)
}

/// Codebooks, codings with their themes, and quotes. A coding's themes
/// are copied with it, a batch of codings at a time.
fn copy_coding(src: &mut Conn, dst: &mut Conn) -> Result<(), StorageError> {
    let rows: Vec<ThemeRow> = themes::table.select(ThemeRow::as_select()).load(src)?;
    for chunk in rows.chunks(BATCH as usize) {
        insert_many!(&mut *dst, themes::table, chunk)?;
    }
    let mut after: Option<String> = None;
    loop {
        let mut query = codings::table
            .select(CodingRow::as_select())
            .order(codings::id)
            .limit(BATCH)
            .into_boxed();
        if let Some(last) = &after {
            query = query.filter(codings::id.gt(last.clone()));
        }
        let rows: Vec<CodingRow> = query.load(src)?;
        let Some(last) = rows.last() else { break };
        after = Some(last.id.clone());
        insert_many!(&mut *dst, codings::table, &rows)?;
        let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
        let themed: Vec<CodingThemeRow> = coding_themes::table
            .filter(coding_themes::coding_id.eq_any(ids))
            .select(CodingThemeRow::as_select())
            .load(src)?;
        for chunk in themed.chunks(BATCH as usize) {
            insert_many!(&mut *dst, coding_themes::table, chunk)?;
        }
    }
    let rows: Vec<QuoteRow> = quotes::table.select(QuoteRow::as_select()).load(src)?;
    for chunk in rows.chunks(BATCH as usize) {
        insert_many!(&mut *dst, quotes::table, chunk)?;
    }
    Ok(())
}

pub fn describe(counts: &TableCounts) -> String {
    counts
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
