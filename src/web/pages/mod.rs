//! The members' web survey: server-rendered pages that work without
//! JavaScript, in the NHS.UK design system.
mod check;
mod confirmation;
pub mod csrf;
mod error;
pub(crate) mod form;
mod home;
mod invitation;
pub(crate) mod render;
mod section;
mod sign_in;
mod start;
pub(crate) mod view;
mod withdraw;

pub use error::PageError;

use crate::catalogue::Loaded;
use crate::domain::tokens::AccessToken;
use crate::startup::AppState;
use crate::storage::Draft;
use actix_web::web::{Data, ServiceConfig, block};
use std::sync::Arc;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(home::home)
        .service(start::start_page)
        .service(start::begin)
        .service(confirmation::resume)
        .service(section::show_section)
        .service(section::save_section)
        .service(check::check_answers)
        .service(check::submit)
        .service(confirmation::confirmation)
        .service(confirmation::print)
        .service(confirmation::saved)
        .service(sign_in::sign_in_page)
        .service(sign_in::sign_in)
        .service(sign_in::sign_out_page)
        .service(sign_in::sign_out)
        .service(withdraw::withdraw_page)
        .service(withdraw::withdraw)
        .service(invitation::redeem);
}

/// A member's private link, relative to the site.
pub fn private_path(slug: &str, token: &AccessToken) -> String {
    format!("/consultations/{slug}/r/{}", token.as_str())
}

/// The consultation and the draft behind a private link; 404 for either
/// an unknown consultation or a link that is not this consultation's.
pub async fn load_draft(
    state: &Data<AppState>,
    slug: &str,
    token: &str,
) -> Result<(Arc<Loaded>, Draft, AccessToken), PageError> {
    let loaded = state.catalogue.get(slug).ok_or(PageError::NotFound)?;
    let token = AccessToken::parse(token).ok_or(PageError::NotFound)?;
    let store = state.store.clone();
    let t = token.clone();
    let draft = block(move || store.find_draft(&t))
        .await??
        .ok_or(PageError::NotFound)?;
    if draft.consultation_id != loaded.stored.id {
        return Err(PageError::NotFound);
    }
    Ok((loaded, draft, token))
}

/// Refuses changes once the consultation has closed.
pub async fn require_open(state: &Data<AppState>, loaded: &Loaded) -> Result<(), PageError> {
    if crate::web::schedule::is_open(state, loaded).await? {
        Ok(())
    } else {
        Err(PageError::Closed)
    }
}
