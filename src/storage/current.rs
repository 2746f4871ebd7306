//! What analyses and exports read: one row per response, its current
//! version's closed answers (`current_responses`) and all its answers
//! (`current_documents`), kept in step by every write.
use super::schema::{current_documents, current_responses};
use super::stamp::Stamp;
use super::{Conn, StorageError, Store};
use diesel::connection::DefaultLoadingMode;
use diesel::result::Error as DieselError;
use diesel::{Connection, ExpressionMethods, QueryDsl, RunQueryDsl};
use uuid::Uuid;

/// A response's closed answers, for analysis.
#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable)]
pub struct ClosedRow {
    pub response_id: String,
    pub submitted_at: chrono::NaiveDateTime,
    /// See `domain::closed`.
    pub closed: String,
}

/// A response's answers, all of them, for exports.
#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable)]
pub struct CurrentResponse {
    pub response_id: String,
    pub submitted_at: chrono::NaiveDateTime,
    /// The API's JSON object.
    pub answers: String,
}

/// Rows with the data version they are at least as new as.
#[derive(Debug, Clone)]
pub struct Versioned<T> {
    pub data_version: i64,
    pub rows: Vec<T>,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = current_responses)]
pub(super) struct NewClosed<'a> {
    consultation_id: &'a str,
    response_id: &'a str,
    submitted_at: &'a Stamp,
    definition_version: i32,
    closed: &'a str,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = current_documents)]
pub(super) struct NewDocument<'a> {
    response_id: &'a str,
    consultation_id: &'a str,
    submitted_at: &'a Stamp,
    answers: &'a str,
}

/// A response's current version in both forms.
pub(super) struct NewCurrent<'a> {
    pub closed: NewClosed<'a>,
    pub document: NewDocument<'a>,
}

impl<'a> NewCurrent<'a> {
    pub(super) fn new(
        consultation_id: &'a str,
        response_id: &'a str,
        definition_version: i32,
        closed: &'a str,
        document: &'a str,
        submitted_at: &'a Stamp,
    ) -> Self {
        NewCurrent {
            closed: NewClosed {
                consultation_id,
                response_id,
                submitted_at,
                definition_version,
                closed,
            },
            document: NewDocument {
                response_id,
                consultation_id,
                submitted_at,
                answers: document,
            },
        }
    }

    /// Stores the rows: a new response's first, or replacements.
    pub(super) fn write(self, conn: &mut Conn, first: bool) -> Result<(), DieselError> {
        if first {
            diesel::insert_into(current_responses::table)
                .values(self.closed)
                .execute(conn)?;
            diesel::insert_into(current_documents::table)
                .values(self.document)
                .execute(conn)?;
            return Ok(());
        }
        let (c, d) = (self.closed, self.document);
        diesel::update(
            current_responses::table.filter(current_responses::response_id.eq(c.response_id)),
        )
        .set((
            current_responses::submitted_at.eq(c.submitted_at),
            current_responses::definition_version.eq(c.definition_version),
            current_responses::closed.eq(c.closed),
        ))
        .execute(conn)?;
        diesel::update(
            current_documents::table.filter(current_documents::response_id.eq(d.response_id)),
        )
        .set((
            current_documents::submitted_at.eq(d.submitted_at),
            current_documents::answers.eq(d.answers),
        ))
        .execute(conn)?;
        Ok(())
    }
}

impl Store {
    /// Every current response's closed answers, in response order.
    pub fn current_closed(
        &self,
        consultation_id: Uuid,
    ) -> Result<Versioned<ClosedRow>, StorageError> {
        // The version is read before the rows, so the rows are never older
        // than the version they are cached under: at worst newer, which the
        // next check of the version corrects.
        let data_version = self.data_version(consultation_id)?;
        let rows = current_responses::table
            .filter(current_responses::consultation_id.eq(consultation_id.to_string()))
            .order(current_responses::response_id)
            .select((
                current_responses::response_id,
                current_responses::submitted_at,
                current_responses::closed,
            ))
            .load::<ClosedRow>(&mut *self.conn()?)?;
        Ok(Versioned { data_version, rows })
    }

    /// Hands every current response's closed answers to `f`, `page` rows
    /// at a time in response order, as they are read. Returns the data
    /// version the rows are at least as new as.
    pub fn each_closed_page(
        &self,
        consultation_id: Uuid,
        page: usize,
        mut f: impl FnMut(Vec<ClosedRow>),
    ) -> Result<i64, StorageError> {
        let data_version = self.data_version(consultation_id)?;
        let mut conn = self.conn()?;
        let rows = current_responses::table
            .filter(current_responses::consultation_id.eq(consultation_id.to_string()))
            .order(current_responses::response_id)
            .select((
                current_responses::response_id,
                current_responses::submitted_at,
                current_responses::closed,
            ))
            .load_iter::<ClosedRow, DefaultLoadingMode>(&mut *conn)?;
        let mut buf = Vec::with_capacity(page);
        for row in rows {
            buf.push(row?);
            if buf.len() == page {
                f(std::mem::replace(&mut buf, Vec::with_capacity(page)));
            }
        }
        if !buf.is_empty() {
            f(buf);
        }
        Ok(data_version)
    }

    /// Every current response with all its answers, in response order.
    pub fn current_responses(
        &self,
        consultation_id: Uuid,
    ) -> Result<Versioned<CurrentResponse>, StorageError> {
        let data_version = self.data_version(consultation_id)?;
        let rows = current_documents::table
            .filter(current_documents::consultation_id.eq(consultation_id.to_string()))
            .order(current_documents::response_id)
            .select((
                current_documents::response_id,
                current_documents::submitted_at,
                current_documents::answers,
            ))
            .load::<CurrentResponse>(&mut *self.conn()?)?;
        Ok(Versioned { data_version, rows })
    }

    /// Hands every current response with all its answers to `f`, a page
    /// at a time in response order, from one read transaction, so that
    /// memory stays flat however many there are.
    pub fn each_current_page(
        &self,
        consultation_id: Uuid,
        mut f: impl FnMut(Vec<CurrentResponse>),
    ) -> Result<(), StorageError> {
        const PAGE: i64 = 2_000;
        let cid = consultation_id.to_string();
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let mut after = None::<String>;
            loop {
                let mut query = current_documents::table
                    .filter(current_documents::consultation_id.eq(&cid))
                    .order(current_documents::response_id)
                    .limit(PAGE)
                    .select((
                        current_documents::response_id,
                        current_documents::submitted_at,
                        current_documents::answers,
                    ))
                    .into_boxed();
                if let Some(last) = &after {
                    query = query.filter(current_documents::response_id.gt(last.clone()));
                }
                let page: Vec<CurrentResponse> = query.load(conn)?;
                let full = page.len() as i64 == PAGE;
                after = page.last().map(|r| r.response_id.clone());
                if !page.is_empty() {
                    f(page);
                }
                if !full {
                    return Ok(());
                }
            }
        })
    }
}
