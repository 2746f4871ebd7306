use super::backend::write_transaction;
use super::schema::{consultation_versions, consultations};
use super::{Conn, StorageError, Store, now};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, RunQueryDsl};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Where a loaded definition lives in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredConsultation {
    pub id: Uuid,
    pub version: i32,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = consultations)]
struct NewConsultation<'a> {
    id: String,
    slug: &'a str,
    title: &'a str,
    current_version: i32,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = consultation_versions)]
struct NewDefinitionVersion<'a> {
    consultation_id: &'a str,
    version: i32,
    definition: &'a str,
    content_hash: &'a str,
    loaded_at: chrono::NaiveDateTime,
}

impl Store {
    /// Records a definition: new slug → version 1; changed content → next
    /// version; unchanged → the current version, untouched.
    pub fn sync_consultation(
        &self,
        slug: &str,
        title: &str,
        canonical_json: &str,
    ) -> Result<StoredConsultation, StorageError> {
        let hash = hex::encode(Sha256::digest(canonical_json.as_bytes()));
        let mut conn = self.conn()?;
        // Instances starting together may record the same definition at the
        // same moment: the loser of the unique index tries once more and
        // then finds the winner's row.
        for attempt in 0..2 {
            match write_transaction(&mut conn, |conn| {
                sync_once(conn, slug, title, canonical_json, &hash)
            }) {
                Err(StorageError::Query(DieselError::DatabaseError(
                    DatabaseErrorKind::UniqueViolation,
                    _,
                ))) if attempt == 0 => {}
                other => return other,
            }
        }
        Err(StorageError::Corrupt(format!(
            "consultation {slug} could not be recorded"
        )))
    }

    /// The counter that every change to a consultation's responses bumps.
    pub fn data_version(&self, consultation_id: Uuid) -> Result<i64, StorageError> {
        let mut conn = self.conn()?;
        Ok(consultations::table
            .filter(consultations::id.eq(consultation_id.to_string()))
            .select(consultations::data_version)
            .first(&mut conn)?)
    }
}

/// An administrator's schedule, once set: (opens_at, closes_at).
pub type Schedule = (Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>);

impl Store {
    /// The administrator's schedule, or None while the definition's holds.
    pub fn schedule(&self, consultation_id: Uuid) -> Result<Option<Schedule>, StorageError> {
        let mut conn = self.conn()?;
        let (set, opens, closes): (
            bool,
            Option<chrono::NaiveDateTime>,
            Option<chrono::NaiveDateTime>,
        ) = consultations::table
            .filter(consultations::id.eq(consultation_id.to_string()))
            .select((
                consultations::schedule_set,
                consultations::opens_at,
                consultations::closes_at,
            ))
            .first(&mut conn)?;
        Ok(set.then_some((opens, closes)))
    }

    /// Replaces the consultation's opening and closing times.
    /// Sets the schedule and writes `audit` (user id, action, detail) in
    /// the same transaction: a change is never stored without its entry.
    pub fn set_schedule(
        &self,
        consultation_id: Uuid,
        schedule: Schedule,
        audit: (&str, &str, &str),
    ) -> Result<(), StorageError> {
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| {
            diesel::update(
                consultations::table.filter(consultations::id.eq(consultation_id.to_string())),
            )
            .set((
                consultations::schedule_set.eq(true),
                consultations::opens_at.eq(schedule.0),
                consultations::closes_at.eq(schedule.1),
            ))
            .execute(conn)?;
            let (user, action, detail) = audit;
            super::accounts::insert_audit(conn, Some(user), action, detail)
        })?;
        Ok(())
    }
}

/// Marks a change to the consultation's responses, inside the transaction
/// that makes it.
pub(super) fn bump_data_version(conn: &mut Conn, consultation_id: &str) -> Result<(), DieselError> {
    diesel::update(consultations::table.filter(consultations::id.eq(consultation_id)))
        .set(consultations::data_version.eq(consultations::data_version + 1))
        .execute(conn)?;
    Ok(())
}

fn sync_once(
    conn: &mut Conn,
    slug: &str,
    title: &str,
    canonical_json: &str,
    hash: &str,
) -> Result<StoredConsultation, StorageError> {
    let existing: Option<(String, i32)> = consultations::table
        .filter(consultations::slug.eq(slug))
        .select((consultations::id, consultations::current_version))
        .first(conn)
        .optional()?;
    let t = now();
    let (id, version) = match existing {
        None => {
            let id = Uuid::now_v7();
            diesel::insert_into(consultations::table)
                .values(NewConsultation {
                    id: id.to_string(),
                    slug,
                    title,
                    current_version: 1,
                    created_at: t,
                    updated_at: t,
                })
                .execute(conn)?;
            (id.to_string(), 1)
        }
        Some((id, current)) => {
            let current_hash: String = consultation_versions::table
                .filter(consultation_versions::consultation_id.eq(&id))
                .filter(consultation_versions::version.eq(current))
                .select(consultation_versions::content_hash)
                .first(conn)?;
            if current_hash == *hash {
                return parse_stored(&id, current);
            }
            diesel::update(consultations::table.filter(consultations::id.eq(&id)))
                .set((
                    consultations::current_version.eq(current + 1),
                    consultations::title.eq(title),
                    consultations::updated_at.eq(t),
                ))
                .execute(conn)?;
            (id, current + 1)
        }
    };
    diesel::insert_into(consultation_versions::table)
        .values(NewDefinitionVersion {
            consultation_id: &id,
            version,
            definition: canonical_json,
            content_hash: hash,
            loaded_at: t,
        })
        .execute(conn)?;
    parse_stored(&id, version)
}

fn parse_stored(id: &str, version: i32) -> Result<StoredConsultation, StorageError> {
    Ok(StoredConsultation {
        id: super::parse_uuid(id)?,
        version,
    })
}

/// A recorded consultation with its response count, for listings.
#[derive(Debug, Clone)]
pub struct ConsultationSummary {
    pub slug: String,
    pub title: String,
    pub version: i32,
    pub responses: i64,
}

impl Store {
    pub fn list_consultations(&self) -> Result<Vec<ConsultationSummary>, StorageError> {
        use super::schema::responses;
        let mut conn = self.conn()?;
        let rows: Vec<(String, String, String, i32)> = consultations::table
            .order(consultations::slug)
            .select((
                consultations::id,
                consultations::slug,
                consultations::title,
                consultations::current_version,
            ))
            .load(&mut conn)?;
        let mut out = Vec::new();
        for (id, slug, title, version) in rows {
            let responses: i64 = responses::table
                .filter(responses::consultation_id.eq(&id))
                .count()
                .get_result(&mut conn)?;
            out.push(ConsultationSummary {
                slug,
                title,
                version,
                responses,
            });
        }
        Ok(out)
    }
}
