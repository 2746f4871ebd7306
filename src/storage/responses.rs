//! Responses and their versions: what a response is, reading it back, and
//! changing it (a new version). New responses are written by `bulk`.
use super::backend::write_transaction;
use super::consultations::bump_data_version;
use super::current::NewCurrent;
use super::schema::{current_documents, response_versions, responses};
use super::stamp::Stamp;
use super::{Conn, StorageError, Store, StoredConsultation, now, parse_uuid};
use crate::domain::answers::from_document;
use crate::domain::{Answers, Consultation};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, RunQueryDsl};
use uuid::Uuid;

/// How a version of a response arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// `POST /api/…/responses`.
    Api,
    /// The member's web form.
    Web,
    /// `responses import`.
    Import,
    /// `fixtures generate --into-database`.
    Synthetic,
}

impl Channel {
    /// As stored in `response_versions.channel`.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Api => "api",
            Channel::Web => "web",
            Channel::Import => "import",
            Channel::Synthetic => "synthetic",
        }
    }
}

pub struct NewSubmission<'a> {
    pub consultation: StoredConsultation,
    pub submission_id: Option<Uuid>,
    pub answers: &'a Answers,
    pub channel: Channel,
    /// When it was submitted, if not now (imported responses keep theirs).
    pub submitted_at: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitOutcome {
    pub id: Uuid,
    pub receipt: String,
    /// False when a retry matched an earlier submission.
    pub created: bool,
}

#[derive(Debug, Clone)]
pub struct StoredResponse {
    pub id: Uuid,
    pub consultation_id: Uuid,
    pub receipt: String,
    pub version: i32,
    pub definition_version: i32,
    pub created_at: chrono::NaiveDateTime,
    pub submitted_at: chrono::NaiveDateTime,
    /// The version's answers as the API's JSON object.
    pub document: String,
}

impl StoredResponse {
    /// The stored document read back as answers under `c`: answers to
    /// questions `c` no longer has, or to options it no longer offers, drop.
    pub fn answers(&self, c: &Consultation) -> Answers {
        from_document(c, &self.document)
    }
}

#[derive(diesel::Insertable)]
#[diesel(table_name = responses)]
pub(super) struct NewResponse<'a> {
    pub id: &'a str,
    pub consultation_id: &'a str,
    pub submission_id: Option<&'a str>,
    pub submission_hash: &'a str,
    pub receipt: &'a str,
    pub current_version: i32,
    pub created_at: &'a Stamp,
    pub updated_at: &'a Stamp,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = response_versions)]
pub(super) struct NewResponseVersion<'a> {
    pub id: &'a str,
    pub response_id: &'a str,
    pub version: i32,
    pub definition_version: i32,
    pub channel: &'a str,
    pub answers_hash: &'a str,
    pub submitted_at: &'a Stamp,
    pub answers: &'a str,
}

impl Store {
    /// Stores changed answers as the next version of a response.
    pub fn add_version(
        &self,
        response_id: Uuid,
        definition_version: i32,
        channel: Channel,
        a: &Answers,
    ) -> Result<i32, StorageError> {
        let id = response_id.to_string();
        let mut conn = self.conn()?;
        let (version, _) = write_transaction(&mut conn, |conn| {
            next_version(conn, &id, definition_version, channel, a)
        })?;
        Ok(version)
    }

    /// The current version of a response, if it exists.
    pub fn load_response(&self, id: Uuid) -> Result<Option<StoredResponse>, StorageError> {
        let mut conn = self.conn()?;
        let id = id.to_string();
        let head: Option<(String, String, i32, chrono::NaiveDateTime)> = responses::table
            .filter(responses::id.eq(&id))
            .select((
                responses::consultation_id,
                responses::receipt,
                responses::current_version,
                responses::created_at,
            ))
            .first(&mut conn)
            .optional()?;
        let Some((consultation_id, receipt, version, created_at)) = head else {
            return Ok(None);
        };
        let (definition_version, submitted_at, document): (i32, chrono::NaiveDateTime, String) =
            response_versions::table
                .filter(response_versions::response_id.eq(&id))
                .filter(response_versions::version.eq(version))
                .select((
                    response_versions::definition_version,
                    response_versions::submitted_at,
                    response_versions::answers,
                ))
                .first(&mut conn)?;
        Ok(Some(StoredResponse {
            id: parse_uuid(&id)?,
            consultation_id: parse_uuid(&consultation_id)?,
            receipt,
            version,
            definition_version,
            created_at,
            submitted_at,
            document,
        }))
    }

    /// How many responses a consultation has (each counted once).
    pub fn count_responses(&self, consultation_id: Uuid) -> Result<i64, StorageError> {
        let mut conn = self.conn()?;
        Ok(responses::table
            .filter(responses::consultation_id.eq(consultation_id.to_string()))
            .count()
            .get_result(&mut conn)?)
    }

    /// Ids of a consultation's responses, oldest first.
    pub fn response_ids(&self, consultation_id: Uuid) -> Result<Vec<Uuid>, StorageError> {
        let mut conn = self.conn()?;
        let ids: Vec<String> = responses::table
            .filter(responses::consultation_id.eq(consultation_id.to_string()))
            .order(responses::id)
            .select(responses::id)
            .load(&mut conn)?;
        ids.iter().map(|s| parse_uuid(s)).collect()
    }
}

/// Adds the next version of response `id`; returns it with the receipt.
/// A response no longer there was withdrawn.
pub(super) fn next_version(
    conn: &mut Conn,
    id: &str,
    definition_version: i32,
    channel: Channel,
    a: &Answers,
) -> Result<(i32, String), StorageError> {
    // Update before reading: on PostgreSQL the update locks the row, so two
    // concurrent changes get consecutive version numbers.
    let t = now();
    let updated = diesel::update(responses::table.filter(responses::id.eq(id)))
        .set((
            responses::current_version.eq(responses::current_version + 1),
            responses::updated_at.eq(t),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Withdrawn);
    }
    let (version, receipt, consultation_id): (i32, String, String) = responses::table
        .filter(responses::id.eq(id))
        .select((
            responses::current_version,
            responses::receipt,
            responses::consultation_id,
        ))
        .first(conn)?;
    let (document, hash) = a.stored()?;
    let t = Stamp::new(t);
    diesel::insert_into(response_versions::table)
        .values(NewResponseVersion {
            id: &Uuid::now_v7().to_string(),
            response_id: id,
            version,
            definition_version,
            channel: channel.as_str(),
            answers_hash: &hash,
            submitted_at: &t,
            answers: &document,
        })
        .execute(conn)?;
    let before: String = current_documents::table
        .filter(current_documents::response_id.eq(id))
        .select(current_documents::answers)
        .first(conn)?;
    let before: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&before)?;
    let after: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&document)?;
    super::codings::uncode_changed(conn, id, |q| before.get(q) != after.get(q))?;
    let closed = crate::domain::closed_codes::encode(a);
    NewCurrent::new(
        &consultation_id,
        id,
        definition_version,
        &closed,
        &document,
        &t,
    )
    .write(conn, false)?;
    bump_data_version(conn, &consultation_id)?;
    Ok((version, receipt))
}
