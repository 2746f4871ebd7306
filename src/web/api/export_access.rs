//! Who may download what: anonymised exports for researchers, staff and
//! administrators; the identified export for administrators only, and
//! every identified download written to the audit log. Every export route
//! asks here.
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
    let user = auth::api(state, req, Need::Admin).await?;
    let store = state.store.clone();
    let id = user.id.clone();
    block(move || store.audit(Some(&id), "identified_export", &what)).await??;
    Ok(user)
}
