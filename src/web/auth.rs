//! Who is asking, and whether their role allows it: an API token
//! (`Authorization: Bearer`) or a web session cookie. Every guarded route
//! asks here; the rules in `Need::allows` are the whole access policy.
use super::error::ApiError;
use super::pages::PageError;
use crate::domain::accounts::Role;
use crate::domain::tokens::AccessToken;
use crate::storage::User;
use crate::web::AppState;
use crate::web::site;
use actix_web::HttpRequest;
use actix_web::web::{Data, block};

pub const SESSION_COOKIE: &str = "consult_session";

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Results for policy staff: staff or admin.
    Staff,
    /// Anonymised data: researcher, staff or admin.
    Research,
    /// Identified data and accounts: admin.
    Admin,
}

impl Need {
    pub fn allows(self, role: Role) -> bool {
        match self {
            Need::Staff => matches!(role, Role::Staff | Role::Admin),
            Need::Research => matches!(role, Role::Researcher | Role::Staff | Role::Admin),
            Need::Admin => role == Role::Admin,
        }
    }
}

fn bearer(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

/// How a user was identified: a browser sends its session cookie with
/// requests other sites make it send; an API token is never sent so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    Token,
    Session,
}

/// The signed-in user, if any. A malformed or unknown secret is no one.
async fn identify(
    state: &Data<AppState>,
    req: &HttpRequest,
) -> Result<Option<(User, Via)>, ApiError> {
    let store = state.store.clone();
    if let Some(raw) = bearer(req) {
        let Some(token) = AccessToken::parse(raw.trim()) else {
            return Ok(None);
        };
        let user = block(move || store.user_by_token(&token.hash())).await??;
        return Ok(user.map(|u| (u, Via::Token)));
    }
    let Some(token) = req
        .cookie(SESSION_COOKIE)
        .and_then(|c| AccessToken::parse(c.value()))
    else {
        return Ok(None);
    };
    let user = block(move || store.user_by_session(&token.hash())).await??;
    Ok(user.map(|u| (u, Via::Session)))
}

/// Whether `user`'s role meets `need`.
pub fn allowed(user: &User, need: Need) -> bool {
    need.allows(user.role)
}

/// For the JSON API: 401 without a valid token or session, 403 for the
/// wrong role. A session may change things (any method but GET and HEAD)
/// only from this site's own pages.
pub async fn api(state: &Data<AppState>, req: &HttpRequest, need: Need) -> Result<User, ApiError> {
    let (user, via) = identify(state, req).await?.ok_or(ApiError::Unauthorized)?;
    if via == Via::Session
        && !req.method().is_safe()
        && !site::from_this_site(state.public_url.as_ref(), req)
    {
        return Err(ApiError::CrossSite);
    }
    if allowed(&user, need) {
        Ok(user)
    } else {
        Err(ApiError::Forbidden)
    }
}

/// As `api`, but with an API token only: for what a link on another site
/// must not be able to start in a signed-in browser.
pub async fn api_token(
    state: &Data<AppState>,
    req: &HttpRequest,
    need: Need,
) -> Result<User, ApiError> {
    match identify(state, req).await? {
        Some((user, Via::Token)) if allowed(&user, need) => Ok(user),
        Some((_, Via::Token)) => Err(ApiError::Forbidden),
        _ => Err(ApiError::Unauthorized),
    }
}

/// For pages: signed out goes to sign-in (and back), wrong role is 403.
pub async fn page(
    state: &Data<AppState>,
    req: &HttpRequest,
    need: Need,
) -> Result<User, PageError> {
    let next = match req.query_string() {
        "" => req.path().to_owned(),
        q => format!("{}?{q}", req.path()),
    };
    let user = identify(state, req)
        .await
        .map_err(PageError::internal)?
        .ok_or(PageError::SignIn(next))?
        .0;
    if allowed(&user, need) {
        Ok(user)
    } else {
        Err(PageError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_access_policy() {
        let table = [
            (
                Need::Staff,
                [
                    (Role::Admin, true),
                    (Role::Staff, true),
                    (Role::Researcher, false),
                ],
            ),
            (
                Need::Research,
                [
                    (Role::Admin, true),
                    (Role::Staff, true),
                    (Role::Researcher, true),
                ],
            ),
            (
                Need::Admin,
                [
                    (Role::Admin, true),
                    (Role::Staff, false),
                    (Role::Researcher, false),
                ],
            ),
        ];
        for (need, cases) in table {
            for (role, expected) in cases {
                assert_eq!(need.allows(role), expected, "{need:?} {role:?}");
            }
        }
    }
}
