//! Whether a consultation takes responses now, asked from a request: the
//! rule is the catalogue's (`Loaded::open_at`).
use crate::analysis::AnalysisError;
use crate::catalogue::Loaded;
use crate::web::{AppState, SnapshotError};
use actix_web::web::{Data, block};
use std::sync::Arc;

/// Fails as loading a snapshot does: the database, or the blocking pool.
pub async fn is_open(state: &Data<AppState>, loaded: &Arc<Loaded>) -> Result<bool, SnapshotError> {
    let (store, loaded) = (state.store.clone(), loaded.clone());
    Ok(block(move || loaded.is_open(&store))
        .await?
        .map_err(AnalysisError::from)?)
}
