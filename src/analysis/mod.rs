//! Analysis of stored responses. Each consultation's responses are read
//! into a polars frame once per data version and kept in memory; the data
//! version in the database moves with every stored change, whichever
//! instance made it, so every instance answers the same while none re-reads
//! unchanged data.
pub mod breakdown;
pub mod frame;
pub mod headline;
pub mod spec;
pub mod stats;
pub mod tally;

pub use breakdown::{Breakdown, GroupRow};
pub use spec::{RawSpec, Spec};
pub use tally::{OptionCount, QuestionTally, Tally};

use crate::domain::Consultation;
use crate::storage::{StorageError, Store, StoredConsultation};
use polars::prelude::DataFrame;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("analysis failed: {0}")]
    Polars(#[from] polars::prelude::PolarsError),
}

/// One consultation's responses as of one data version.
pub struct Snapshot {
    pub data_version: i64,
    pub definition_version: i32,
    pub tally: Tally,
    pub frame: DataFrame,
}

#[derive(Default)]
pub struct ResultsCache {
    entries: Mutex<HashMap<Uuid, Arc<Snapshot>>>,
    // Held while a snapshot is built, so that a burst of requests after a
    // change reads the data once rather than once each.
    building: Mutex<()>,
}

impl ResultsCache {
    /// The consultation's snapshot: from memory when the database's data
    /// version has not moved since it was built, else rebuilt.
    pub fn snapshot(
        &self,
        store: &Store,
        stored: StoredConsultation,
        definition: &Consultation,
    ) -> Result<Arc<Snapshot>, AnalysisError> {
        let current = store.data_version(stored.id)?;
        if let Some(s) = self.fresh(stored, current) {
            return Ok(s);
        }
        let _guard = self.building.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = self.fresh(stored, current) {
            return Ok(s);
        }
        let data = store.current_closed(stored.id)?;
        let frame = frame::build(definition, &data.rows)?;
        drop(data.rows);
        let snapshot = Arc::new(Snapshot {
            data_version: data.data_version,
            definition_version: stored.version,
            tally: Tally::from_frame(definition, &frame)?,
            frame,
        });
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(stored.id, snapshot.clone());
        }
        Ok(snapshot)
    }

    /// The cached snapshot if it is at least as new as `current`.
    fn fresh(&self, stored: StoredConsultation, current: i64) -> Option<Arc<Snapshot>> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(&stored.id)
            .filter(|s| s.data_version >= current && s.definition_version == stored.version)
            .cloned()
    }
}
