//! Pages for policy staff: every route under `/staff`.
pub(crate) mod audit;
pub(crate) mod dashboard;
pub(crate) mod index;
pub(crate) mod question;

use super::pages::PageError;
use crate::analysis::Snapshot;
use crate::catalogue::Loaded;
use crate::startup::AppState;
use actix_web::web::{Data, block};
use std::sync::Arc;

/// The consultation and its current analysis snapshot.
async fn load(
    state: &Data<AppState>,
    slug: &str,
) -> Result<(Arc<Loaded>, Arc<Snapshot>), PageError> {
    let loaded = state.catalogue.get(slug).ok_or(PageError::NotFound)?;
    let (state2, loaded2) = (state.clone(), loaded.clone());
    let snapshot = block(move || {
        state2
            .results
            .snapshot(&state2.store, loaded2.stored, &loaded2.definition)
    })
    .await?
    .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok((loaded, snapshot))
}
