//! The members' web survey: server-rendered pages that work without
//! JavaScript, in the NHS.UK design system.
pub(crate) mod check;
pub(crate) mod confirmation;
pub mod csrf;
mod error;
pub(crate) mod form;
pub(crate) mod home;
pub(crate) mod invitation;
pub(crate) mod render;
pub(crate) mod section;
pub(crate) mod sign_in;
pub(crate) mod start;
pub(crate) mod view;
pub(crate) mod withdraw;

pub use error::PageError;

use crate::catalogue::Loaded;
use crate::domain::tokens::AccessToken;
use crate::storage::Draft;
use crate::web::AppState;
use actix_web::web::{Data, block};
use std::sync::Arc;

/// Where a new draft starts: its first section.
pub fn first_section(slug: &str, token: &AccessToken, c: &crate::domain::Consultation) -> String {
    let first = c
        .sections
        .first()
        .map(|s| s.id.to_string())
        .unwrap_or_default();
    format!("{}/sections/{first}", private_path(slug, token))
}

/// A member's private link, relative to the site.
pub fn private_path(slug: &str, token: &AccessToken) -> String {
    format!("/consultations/{slug}/r/{}", token.as_str())
}

/// A member's private link, loaded: for the pages behind it that take no
/// form, as an extractor (forms are checked before the link is loaded).
pub struct PrivateLink {
    pub slug: String,
    pub loaded: Arc<Loaded>,
    pub draft: Draft,
    pub token: AccessToken,
}

impl actix_web::FromRequest for PrivateLink {
    type Error = PageError;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Self, PageError>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<Data<AppState>>()
                .cloned()
                .ok_or_else(|| PageError::internal("the application's state is missing"))?;
            let (Some(slug), Some(token)) =
                (req.match_info().get("slug"), req.match_info().get("token"))
            else {
                return Err(PageError::NotFound);
            };
            let (loaded, draft, token) = load_draft(&state, slug, token).await?;
            Ok(PrivateLink {
                slug: slug.to_owned(),
                loaded,
                draft,
                token,
            })
        })
    }
}

/// The consultation and the draft behind a private link; 404 for either
/// an unknown consultation or a link that is not this consultation's.
pub async fn load_draft(
    state: &Data<AppState>,
    slug: &str,
    token: &str,
) -> Result<(Arc<Loaded>, Draft, AccessToken), PageError> {
    let loaded = state.consultation(slug)?;
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
pub async fn require_open(state: &Data<AppState>, loaded: &Arc<Loaded>) -> Result<(), PageError> {
    if crate::web::schedule::is_open(state, loaded).await? {
        Ok(())
    } else {
        Err(PageError::Closed)
    }
}
