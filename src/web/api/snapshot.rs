//! What the results, breakdown and chart handlers share: the consultation's
//! analysis snapshot and revalidation by ETag.
use crate::analysis::Snapshot;
use crate::catalogue::Loaded;
use crate::startup::AppState;
use crate::web::error::ApiError;
use actix_web::http::header::{EntityTag, IfNoneMatch};
use actix_web::web::{Data, Header};
use std::sync::Arc;

pub async fn load(
    state: &Data<AppState>,
    slug: &str,
) -> Result<(Arc<Loaded>, Arc<Snapshot>), ApiError> {
    let loaded = state
        .catalogue
        .get(slug)
        .ok_or_else(|| ApiError::NotFound(format!("no consultation '{slug}'")))?;
    let (state2, loaded2) = (state.clone(), loaded.clone());
    let snapshot = actix_web::web::block(move || {
        state2
            .results
            .snapshot(&state2.store, loaded2.stored, &loaded2.definition)
    })
    .await??;
    Ok((loaded, snapshot))
}

/// Changes with every stored change and every new definition version.
pub fn etag(snapshot: &Snapshot, extra: &str) -> EntityTag {
    EntityTag::new_strong(format!(
        "d{}-v{}{extra}",
        snapshot.data_version, snapshot.definition_version
    ))
}

/// Whether the client already holds this version (weak comparison,
/// RFC 9110 §13.1.2).
pub fn unchanged(if_none_match: Option<Header<IfNoneMatch>>, etag: &EntityTag) -> bool {
    match if_none_match {
        Some(Header(IfNoneMatch::Any)) => true,
        Some(Header(IfNoneMatch::Items(tags))) => tags.iter().any(|t| t.weak_eq(etag)),
        None => false,
    }
}

/// Runs analysis work on a blocking thread: polars' engine blocks, which
/// the async workers must never do.
pub async fn compute<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    actix_web::web::block(f).await?
}
