//! Accounts, their API tokens and web sessions, and the audit log.
use super::schema::{api_tokens, audit_log, sessions, users};
use super::{StorageError, Store, now};
use crate::domain::accounts::Role;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::{
    BoolExpressionMethods, ExpressionMethods, JoinOnDsl, NullableExpressionMethods,
    OptionalExtension, QueryDsl, RunQueryDsl,
};
use uuid::Uuid;

/// A signed-in person, as the web layer sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub email: String,
    pub role: Role,
}

/// What signing in checks an account against.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    /// Until when it must wait after failed sign-ins.
    pub locked_until: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: chrono::NaiveDateTime,
    pub email: Option<String>,
    pub action: String,
    pub detail: String,
}

type UserColumns = (users::id, users::email, users::role);
const USER: UserColumns = (users::id, users::email, users::role);

/// A stored account; a role this version does not know is corrupt data,
/// never an account without rights.
fn user((id, email, role): (String, String, String)) -> Result<User, StorageError> {
    let role = Role::parse(&role).ok_or_else(|| {
        StorageError::Corrupt(format!("account {id} has an unknown role '{role}'"))
    })?;
    Ok(User { id, email, role })
}

impl Store {
    /// A new account with its first API token (both secrets given hashed).
    pub fn create_user(
        &self,
        email: &str,
        role: Role,
        password_hash: &str,
        token_hash: &str,
    ) -> Result<User, StorageError> {
        let mut conn = self.conn()?;
        let id = Uuid::now_v7().to_string();
        let t = now();
        super::backend::write_transaction(&mut conn, |conn| {
            diesel::insert_into(users::table)
                .values((
                    users::id.eq(&id),
                    users::email.eq(email),
                    users::role.eq(role.as_str()),
                    users::password_hash.eq(password_hash),
                    users::disabled.eq(false),
                    users::failed_sign_ins.eq(0),
                    users::created_at.eq(t),
                ))
                .execute(conn)
                .map_err(|e| match e {
                    DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                        StorageError::AccountExists(email.to_owned())
                    }
                    other => other.into(),
                })?;
            diesel::insert_into(api_tokens::table)
                .values((
                    api_tokens::id.eq(Uuid::now_v7().to_string()),
                    api_tokens::user_id.eq(&id),
                    api_tokens::token_hash.eq(token_hash),
                    api_tokens::created_at.eq(t),
                ))
                .execute(conn)?;
            Ok::<_, StorageError>(())
        })?;
        Ok(User {
            id,
            email: email.to_owned(),
            role,
        })
    }

    /// The enabled account holding this unrevoked API token.
    pub fn user_by_token(&self, token_hash: &str) -> Result<Option<User>, StorageError> {
        let mut conn = self.conn()?;
        api_tokens::table
            .inner_join(users::table.on(users::id.eq(api_tokens::user_id)))
            .filter(api_tokens::token_hash.eq(token_hash))
            .filter(
                api_tokens::revoked_at
                    .is_null()
                    .and(users::disabled.eq(false)),
            )
            .select(USER)
            .first::<(String, String, String)>(&mut conn)
            .optional()?
            .map(user)
            .transpose()
    }

    /// The account's credentials, if it is enabled.
    pub fn user_by_email(&self, email: &str) -> Result<Option<Credentials>, StorageError> {
        let mut conn = self.conn()?;
        users::table
            .filter(users::email.eq(email))
            .filter(users::disabled.eq(false))
            .select((
                users::id,
                users::email,
                users::role,
                users::password_hash,
                users::locked_until,
            ))
            .first::<(
                String,
                String,
                String,
                String,
                Option<chrono::NaiveDateTime>,
            )>(&mut conn)
            .optional()?
            .map(|(id, email, role, password_hash, locked_until)| {
                Ok(Credentials {
                    user: user((id, email, role))?,
                    password_hash,
                    locked_until,
                })
            })
            .transpose()
    }

    /// Records a failed sign-in. From the third in a row the account waits
    /// 2^(n−3) seconds (at most five minutes) before the next attempt;
    /// returns that wait.
    pub fn sign_in_failed(&self, user_id: &str) -> Result<Option<i64>, StorageError> {
        let mut conn = self.conn()?;
        super::backend::write_transaction(&mut conn, |conn| {
            let failures: i32 = users::table
                .filter(users::id.eq(user_id))
                .select(users::failed_sign_ins)
                .first(conn)?;
            let failures = failures.saturating_add(1);
            let wait = crate::domain::accounts::lockout_seconds(failures);
            diesel::update(users::table.filter(users::id.eq(user_id)))
                .set((
                    users::failed_sign_ins.eq(failures),
                    users::locked_until.eq(wait.map(|w| now() + chrono::Duration::seconds(w))),
                ))
                .execute(conn)?;
            Ok::<_, StorageError>(wait)
        })
    }

    pub fn sign_in_succeeded(&self, user_id: &str) -> Result<(), StorageError> {
        let mut conn = self.conn()?;
        diesel::update(users::table.filter(users::id.eq(user_id)))
            .set((
                users::failed_sign_ins.eq(0),
                users::locked_until.eq(None::<chrono::NaiveDateTime>),
            ))
            .execute(&mut conn)?;
        Ok(())
    }

    pub fn create_session(
        &self,
        user_id: &str,
        token_hash: &str,
        expires_at: chrono::NaiveDateTime,
    ) -> Result<(), StorageError> {
        let mut conn = self.conn()?;
        diesel::insert_into(sessions::table)
            .values((
                sessions::id.eq(Uuid::now_v7().to_string()),
                sessions::user_id.eq(user_id),
                sessions::token_hash.eq(token_hash),
                sessions::created_at.eq(now()),
                sessions::expires_at.eq(expires_at),
            ))
            .execute(&mut conn)?;
        Ok(())
    }

    /// The enabled account of an unexpired session.
    pub fn user_by_session(&self, token_hash: &str) -> Result<Option<User>, StorageError> {
        let mut conn = self.conn()?;
        sessions::table
            .inner_join(users::table.on(users::id.eq(sessions::user_id)))
            .filter(sessions::token_hash.eq(token_hash))
            .filter(
                sessions::expires_at
                    .gt(now())
                    .and(users::disabled.eq(false)),
            )
            .select(USER)
            .first::<(String, String, String)>(&mut conn)
            .optional()?
            .map(user)
            .transpose()
    }

    pub fn end_session(&self, token_hash: &str) -> Result<(), StorageError> {
        let mut conn = self.conn()?;
        diesel::delete(sessions::table.filter(sessions::token_hash.eq(token_hash)))
            .execute(&mut conn)?;
        Ok(())
    }

    /// Revokes every API token of the account; returns how many.
    pub fn revoke_tokens(&self, email: &str) -> Result<usize, StorageError> {
        let mut conn = self.conn()?;
        let ids = users::table
            .filter(users::email.eq(email))
            .select(users::id);
        Ok(diesel::update(
            api_tokens::table
                .filter(api_tokens::user_id.eq_any(ids))
                .filter(api_tokens::revoked_at.is_null()),
        )
        .set(api_tokens::revoked_at.eq(Some(now())))
        .execute(&mut conn)?)
    }

    /// Disables the account and ends its sessions; false when unknown.
    pub fn disable_user(&self, email: &str) -> Result<bool, StorageError> {
        let mut conn = self.conn()?;
        super::backend::write_transaction(&mut conn, |conn| {
            let id: Option<String> = users::table
                .filter(users::email.eq(email))
                .select(users::id)
                .first(conn)
                .optional()?;
            let Some(id) = id else {
                return Ok::<_, StorageError>(false);
            };
            diesel::update(users::table.filter(users::id.eq(&id)))
                .set(users::disabled.eq(true))
                .execute(conn)?;
            diesel::delete(sessions::table.filter(sessions::user_id.eq(&id))).execute(conn)?;
            Ok(true)
        })
    }

    pub fn audit(
        &self,
        user_id: Option<&str>,
        action: &str,
        detail: &str,
    ) -> Result<(), StorageError> {
        Ok(insert_audit(&mut *self.conn()?, user_id, action, detail)?)
    }

    /// The latest audit entries, newest first.
    pub fn audit_entries(&self, limit: i64) -> Result<Vec<AuditEntry>, StorageError> {
        let mut conn = self.conn()?;
        let rows: Vec<(chrono::NaiveDateTime, Option<String>, String, String)> = audit_log::table
            .left_join(users::table.on(users::id.nullable().eq(audit_log::user_id)))
            .order(audit_log::at.desc())
            .limit(limit)
            .select((
                audit_log::at,
                users::email.nullable(),
                audit_log::action,
                audit_log::detail,
            ))
            .load(&mut conn)?;
        Ok(rows
            .into_iter()
            .map(|(at, email, action, detail)| AuditEntry {
                at,
                email,
                action,
                detail,
            })
            .collect())
    }
}

/// An audit entry, inside the caller's transaction when there is one, so
/// that a change and its entry are stored together or not at all.
pub(super) fn insert_audit(
    conn: &mut super::Conn,
    user_id: Option<&str>,
    action: &str,
    detail: &str,
) -> Result<(), DieselError> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(Uuid::now_v7().to_string()),
            audit_log::user_id.eq(user_id),
            audit_log::action.eq(action),
            audit_log::detail.eq(detail),
            audit_log::at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}
