//! Single-use invitation links for invite-only consultations.
use super::backend::{first_locked, write_transaction};
use super::schema::{drafts, invitations};
use super::{StorageError, Store, now};
use crate::domain::tokens::AccessToken;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, RunQueryDsl};
use uuid::Uuid;

/// What redeeming an invitation found.
#[derive(Debug, PartialEq, Eq)]
pub enum Redeemed {
    /// A new draft, reached by this private link.
    Draft(AccessToken),
    AlreadyUsed,
    Unknown,
}

impl Store {
    /// One invitation per email; an email invited before is skipped (None).
    pub fn create_invitation(
        &self,
        consultation_id: Uuid,
        email: &str,
    ) -> Result<Option<AccessToken>, StorageError> {
        let token = AccessToken::generate();
        let mut conn = self.conn()?;
        let inserted = diesel::insert_into(invitations::table)
            .values((
                invitations::id.eq(Uuid::now_v7().to_string()),
                invitations::consultation_id.eq(consultation_id.to_string()),
                invitations::email.eq(email),
                invitations::token_hash.eq(token.hash()),
                invitations::created_at.eq(now()),
            ))
            .execute(&mut conn);
        match inserted {
            Ok(_) => Ok(Some(token)),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Uses an invitation once: starts a draft bound to it. The invitation
    /// is locked first and marked used with the new draft in the same
    /// transaction, so two tabs racing get one draft and one refusal.
    pub fn redeem_invitation(
        &self,
        consultation_id: Uuid,
        token: &AccessToken,
    ) -> Result<Redeemed, StorageError> {
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| {
            let found: Option<(String, Option<chrono::NaiveDateTime>)> = first_locked!(
                conn,
                invitations::table
                    .filter(invitations::token_hash.eq(token.hash()))
                    .filter(invitations::consultation_id.eq(consultation_id.to_string()))
                    .select((invitations::id, invitations::used_at))
            )?;
            let Some((id, used)) = found else {
                return Ok(Redeemed::Unknown);
            };
            if used.is_some() {
                return Ok(Redeemed::AlreadyUsed);
            }
            let draft = AccessToken::generate();
            let draft_id = Uuid::now_v7().to_string();
            let t = now();
            diesel::insert_into(drafts::table)
                .values((
                    drafts::id.eq(&draft_id),
                    drafts::consultation_id.eq(consultation_id.to_string()),
                    drafts::token_hash.eq(draft.hash()),
                    drafts::answers.eq("{}"),
                    drafts::created_at.eq(t),
                    drafts::updated_at.eq(t),
                ))
                .execute(conn)?;
            diesel::update(invitations::table.filter(invitations::id.eq(&id)))
                .set((
                    invitations::used_at.eq(Some(t)),
                    invitations::draft_id.eq(Some(&draft_id)),
                ))
                .execute(conn)?;
            Ok::<_, StorageError>(Redeemed::Draft(draft))
        })
    }

    /// Whether the draft was started from an invitation.
    pub fn draft_is_invited(&self, draft_id: Uuid) -> Result<bool, StorageError> {
        let mut conn = self.conn()?;
        let n: i64 = invitations::table
            .filter(invitations::draft_id.eq(draft_id.to_string()))
            .count()
            .get_result(&mut conn)?;
        Ok(n > 0)
    }
}
