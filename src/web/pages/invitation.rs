//! Redeeming an invitation link: once, it starts the member's draft and
//! hands over their private link; after that it is refused.
use super::render::see_other;
use super::{PageError, first_section, require_open};
use crate::domain::tokens::AccessToken;
use crate::storage::Redeemed;
use crate::web::AppState;
use actix_web::HttpResponse;
use actix_web::web::{Data, Path, block};

pub async fn redeem(
    state: Data<AppState>,
    path: Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, token) = path.into_inner();
    let loaded = state.consultation(&slug)?;
    let token = AccessToken::parse(&token).ok_or(PageError::NotFound)?;
    require_open(&state, &loaded).await?;
    let (store, id) = (state.store.clone(), loaded.stored.id);
    match block(move || store.redeem_invitation(id, &token)).await?? {
        Redeemed::Draft(draft) => Ok(see_other(&first_section(&slug, &draft, &loaded.definition))),
        Redeemed::AlreadyUsed => Err(PageError::InvitationUsed),
        Redeemed::Unknown => Err(PageError::NotFound),
    }
}
