//! Who may download what: anonymised exports for researchers, staff and
//! administrators; the identified export for administrators only, and
//! every identified download written to the audit log. Every export route
//! asks here. Over the API, identified data needs the API token: a link on
//! another site can make a signed-in browser send its session cookie with
//! a GET. Browsers post the form on `/research` instead.
use crate::storage::User;
use crate::web::AppState;
use crate::web::auth::{self, Need};
use crate::web::error::ApiError;
use actix_web::HttpRequest;
use actix_web::web::{Data, block};

pub async fn check(
    state: &Data<AppState>,
    req: &HttpRequest,
    identified: bool,
    what: String,
) -> Result<User, ApiError> {
    if !identified {
        return auth::api(state, req, Need::Research).await;
    }
    let user = auth::api_token(state, req, Need::Admin).await?;
    audit(state, &user, what).await?;
    Ok(user)
}

/// Writes an identified download by `user` to the audit log.
pub async fn audit(state: &Data<AppState>, user: &User, what: String) -> Result<(), ApiError> {
    let store = state.store.clone();
    let id = user.id.clone();
    block(move || store.audit(Some(&id), "identified_export", &what)).await??;
    Ok(())
}
