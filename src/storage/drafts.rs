use super::backend::{first_locked, write_transaction};
use super::bulk::NewRow;
use super::responses::{NewSubmission, SubmitOutcome, next_version};
use super::schema::{drafts, responses};
use super::submit::store_one;
use super::{StorageError, Store, now, parse_uuid};
use crate::domain::tokens::AccessToken;
use diesel::{
    ExpressionMethods, NullableExpressionMethods, OptionalExtension, QueryDsl, RunQueryDsl,
};
use serde_json::{Map, Value};
use uuid::Uuid;

/// A member's work in progress, reached through a private link.
#[derive(Debug, Clone)]
pub struct Draft {
    pub id: Uuid,
    pub consultation_id: Uuid,
    pub answers: Map<String, Value>,
    /// Set once submitted: the link then changes that response.
    pub response_id: Option<Uuid>,
    pub receipt: Option<String>,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = drafts)]
struct NewDraft {
    id: String,
    consultation_id: String,
    token_hash: String,
    answers: String,
    response_id: Option<String>,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
}

impl Store {
    /// Starts an empty draft; the token is returned once and stored hashed.
    pub fn create_draft(&self, consultation_id: Uuid) -> Result<AccessToken, StorageError> {
        let token = AccessToken::generate();
        let t = now();
        let mut conn = self.conn()?;
        diesel::insert_into(drafts::table)
            .values(NewDraft {
                id: Uuid::now_v7().to_string(),
                consultation_id: consultation_id.to_string(),
                token_hash: token.hash(),
                answers: "{}".into(),
                response_id: None,
                created_at: t,
                updated_at: t,
            })
            .execute(&mut conn)?;
        Ok(token)
    }

    pub fn find_draft(&self, token: &AccessToken) -> Result<Option<Draft>, StorageError> {
        let mut conn = self.conn()?;
        type Row = (
            String,
            String,
            String,
            Option<String>,
            chrono::NaiveDateTime,
            Option<String>,
        );
        let row: Option<Row> = drafts::table
            .left_join(responses::table)
            .filter(drafts::token_hash.eq(token.hash()))
            .select((
                drafts::id,
                drafts::consultation_id,
                drafts::answers,
                drafts::response_id,
                drafts::updated_at,
                responses::receipt.nullable(),
            ))
            .first(&mut conn)
            .optional()?;
        let Some((id, cid, answers, response_id, updated_at, receipt)) = row else {
            return Ok(None);
        };
        let answers = match serde_json::from_str(&answers) {
            Ok(Value::Object(m)) => m,
            _ => {
                return Err(StorageError::Corrupt(format!(
                    "draft {id} holds answers that are not a JSON object"
                )));
            }
        };
        Ok(Some(Draft {
            id: parse_uuid(&id)?,
            consultation_id: parse_uuid(&cid)?,
            answers,
            response_id: response_id.as_deref().map(parse_uuid).transpose()?,
            receipt,
            updated_at,
        }))
    }

    pub fn save_draft(
        &self,
        draft_id: Uuid,
        answers: &Map<String, Value>,
    ) -> Result<(), StorageError> {
        let mut conn = self.conn()?;
        let text = Value::Object(answers.clone()).to_string();
        diesel::update(drafts::table.filter(drafts::id.eq(draft_id.to_string())))
            .set((drafts::answers.eq(text), drafts::updated_at.eq(now())))
            .execute(&mut conn)?;
        Ok(())
    }

    /// Submits a draft: the first time as a new response, afterwards as a
    /// new version of the same response. One transaction either way, with
    /// the draft locked first: two tabs (or two instances) submitting the
    /// same draft at once store one response, and a withdrawal that got
    /// there first leaves `Withdrawn`.
    pub fn submit_draft(
        &self,
        draft: &Draft,
        s: &NewSubmission<'_>,
    ) -> Result<SubmitOutcome, StorageError> {
        let draft_id = draft.id.to_string();
        let answers_text = Value::Object(s.answers.to_json()).to_string();
        let row = NewRow::from_submission(s)?;
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| {
            let linked: Option<Option<String>> = first_locked!(
                conn,
                drafts::table
                    .filter(drafts::id.eq(&draft_id))
                    .select(drafts::response_id)
            )?;
            let outcome = match linked.ok_or(StorageError::Withdrawn)? {
                None => {
                    let outcome = store_one(conn, &row)?;
                    diesel::update(drafts::table.filter(drafts::id.eq(&draft_id)))
                        .set(drafts::response_id.eq(outcome.id.to_string()))
                        .execute(conn)?;
                    outcome
                }
                Some(rid) => {
                    let (_, receipt) =
                        next_version(conn, &rid, s.consultation.version, s.channel, s.answers)?;
                    SubmitOutcome {
                        id: parse_uuid(&rid)?,
                        receipt,
                        created: false,
                    }
                }
            };
            diesel::update(drafts::table.filter(drafts::id.eq(&draft_id)))
                .set((
                    drafts::answers.eq(&answers_text),
                    drafts::updated_at.eq(now()),
                ))
                .execute(conn)?;
            Ok(outcome)
        })
    }
}
