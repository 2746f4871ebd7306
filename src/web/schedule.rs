//! Whether a consultation takes responses now: the administrator's
//! schedule once one is set (kept in the database, so every instance
//! agrees), otherwise the definition's opening and closing times.
use crate::analysis::AnalysisError;
use crate::catalogue::Loaded;
use crate::web::{AppState, SnapshotError};
use actix_web::web::{Data, block};

/// Fails as loading a snapshot does: the database, or the blocking pool.
pub async fn is_open(state: &Data<AppState>, loaded: &Loaded) -> Result<bool, SnapshotError> {
    let store = state.store.clone();
    let id = loaded.stored.id;
    let schedule = block(move || store.schedule(id))
        .await?
        .map_err(AnalysisError::from)?;
    let now = chrono::Utc::now();
    Ok(match schedule {
        Some((opens, closes)) => {
            let now = now.naive_utc();
            opens.is_none_or(|o| o <= now) && closes.is_none_or(|c| c > now)
        }
        None => loaded.definition.is_open_at(now),
    })
}
