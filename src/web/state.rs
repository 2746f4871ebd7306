//! What every handler can reach, and the loaders they share.
use crate::analysis::{AnalysisError, ResultsCache, Snapshot};
use crate::catalogue::{Catalogue, Loaded};
use crate::storage::{GroupCommit, Store};
use actix_web::error::BlockingError;
use std::sync::Arc;

pub struct AppState {
    pub store: Store,
    /// Where API submissions are stored, together with those arriving at
    /// the same moment.
    pub commits: GroupCommit,
    pub catalogue: Catalogue,
    pub results: ResultsCache,
    /// What exports would release, per data version.
    pub disclosures: crate::export::cached::DisclosureCache,
    pub limits: super::limits::Limits,
    /// Where people reach the service; links are built from the request
    /// when unset.
    pub public_url: Option<super::site::PublicUrl>,
}

/// No consultation has this slug: 404 on the API and on pages alike.
#[derive(Debug, thiserror::Error)]
#[error("no consultation '{0}'")]
pub struct UnknownConsultation(pub String);

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    #[error(transparent)]
    Blocking(#[from] BlockingError),
}

impl AppState {
    /// The loaded consultation with this slug.
    pub fn consultation(&self, slug: &str) -> Result<Arc<Loaded>, UnknownConsultation> {
        self.catalogue
            .get(slug)
            .ok_or_else(|| UnknownConsultation(slug.to_owned()))
    }
}

/// The consultation's current analysis snapshot, built (or read from its
/// saved copy) on a blocking thread when its data has changed.
pub async fn snapshot(
    state: &actix_web::web::Data<AppState>,
    loaded: &Arc<Loaded>,
) -> Result<Arc<Snapshot>, SnapshotError> {
    let (state, loaded) = (state.clone(), loaded.clone());
    Ok(actix_web::web::block(move || {
        state
            .results
            .snapshot(&state.store, loaded.stored, &loaded.definition)
    })
    .await??)
}
