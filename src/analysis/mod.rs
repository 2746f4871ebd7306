//! Analysis of stored responses. Each consultation's responses are read
//! into a polars frame once per data version and kept in memory; the data
//! version in the database moves with every stored change, whichever
//! instance made it, so every instance answers the same while none re-reads
//! unchanged data.
pub mod answers;
pub mod breakdown;
pub mod coded;
mod crosstab;
pub mod frame;
mod grouped;
pub mod headline;
mod persist;
pub mod read;
pub mod spec;
pub mod stats;
pub mod tally;

pub use breakdown::{Breakdown, GroupRow};
pub use spec::{RawSpec, Spec};
pub use tally::{OptionCount, QuestionTally, Tally};

use crate::domain::Consultation;
use crate::domain::coding::Codebook;
use crate::storage::{StorageError, Store, StoredConsultation};
use polars::prelude::DataFrame;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
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
    /// The free-text questions' themes as of this data version.
    pub codebook: Codebook,
    pub tally: Tally,
    pub frame: DataFrame,
    /// How long reading and building it took.
    pub built_in: Duration,
}

impl Snapshot {
    /// `spec` broken down over this snapshot, a free-text question's
    /// themes taken from its codebook.
    pub fn breakdown(&self, spec: Spec) -> Result<Breakdown, AnalysisError> {
        let spec = spec.with_codebook(&self.codebook);
        Ok(breakdown::breakdown(&self.frame, &spec)?)
    }
}

/// Snapshots per consultation, cheap to clone (one shared cache).
#[derive(Clone)]
pub struct ResultsCache {
    inner: Arc<Inner>,
    /// Snapshots that took at least this long to build are refreshed in
    /// the background when the data moves, while the previous one keeps
    /// answering (under its own data version, so ETags stay truthful): at a
    /// million responses with members submitting, a rebuild per request
    /// would make every breakdown wait. Quicker ones are rebuilt in line,
    /// so small consultations always answer with the latest data.
    pub background_after: Duration,
    /// Where slow-to-build snapshots are also saved, to survive a restart.
    dir: Option<std::path::PathBuf>,
}

#[derive(Default)]
struct Inner {
    entries: Mutex<HashMap<Uuid, Arc<Snapshot>>>,
    // Held while a snapshot is built, so that a burst of requests after a
    // change reads the data once rather than once each.
    building: Mutex<()>,
    refreshing: AtomicBool,
}

impl Default for ResultsCache {
    fn default() -> Self {
        ResultsCache {
            inner: Arc::default(),
            background_after: Duration::from_millis(250),
            dir: None,
        }
    }
}

impl ResultsCache {
    /// A cache that also keeps its slow-to-build snapshots in `dir`.
    pub fn persisted_in(dir: Option<std::path::PathBuf>) -> ResultsCache {
        ResultsCache {
            dir,
            ..ResultsCache::default()
        }
    }

    /// The consultation's snapshot: from memory when the database's data
    /// version has not moved since it was built, else rebuilt (or, for a
    /// slow one, the previous one while it is rebuilt).
    pub fn snapshot(
        &self,
        store: &Store,
        stored: StoredConsultation,
        definition: &Consultation,
    ) -> Result<Arc<Snapshot>, AnalysisError> {
        let current = store.data_version(stored.id)?;
        if let Some(s) = self.cached(stored, Some(current)) {
            return Ok(s);
        }
        if let Some(stale) = self.cached(stored, None)
            && stale.built_in >= self.background_after
        {
            self.refresh_in_background(store, stored, definition);
            return Ok(stale);
        }
        self.build(store, stored, definition, current)
    }

    fn build(
        &self,
        store: &Store,
        stored: StoredConsultation,
        definition: &Consultation,
        current: i64,
    ) -> Result<Arc<Snapshot>, AnalysisError> {
        let _guard = self
            .inner
            .building
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(s) = self.cached(stored, Some(current)) {
            return Ok(s);
        }
        let started = Instant::now();
        if let Some(dir) = &self.dir
            && let Some((frame, built_in)) = persist::load(dir, stored.id, stored.version, current)
        {
            return Ok(self.keep(
                stored.id,
                Snapshot {
                    data_version: current,
                    definition_version: stored.version,
                    codebook: store.codebook(stored.id)?,
                    tally: Tally::from_frame(definition, &frame)?,
                    frame,
                    built_in,
                },
            ));
        }
        let (data_version, mut frame) = read::frame(store, definition, stored.id)?;
        // Read after the frame's data version: at least as new as it.
        let codebook = store.codebook(stored.id)?;
        let codings = store.current_codings(stored.id)?;
        coded::add_columns(&mut frame, definition, &codebook, &codings)?;
        let snapshot = Arc::new(Snapshot {
            data_version,
            definition_version: stored.version,
            codebook,
            tally: Tally::from_frame(definition, &frame)?,
            frame,
            built_in: started.elapsed(),
        });
        if let Some(dir) = self.dir.clone()
            && snapshot.built_in >= self.background_after
        {
            let (saved, id) = (snapshot.clone(), stored.id);
            // Off the request's path: the answer does not wait for the file.
            let _ = std::thread::Builder::new()
                .name("results-save".into())
                .spawn(move || {
                    let r = persist::save(
                        &dir,
                        id,
                        saved.definition_version,
                        saved.data_version,
                        saved.built_in,
                        &saved.frame,
                    );
                    if let Err(e) = r {
                        tracing::warn!(error = %e, dir = %dir.display(), "could not save results");
                    }
                });
        }
        Ok(self.keep_arc(stored.id, snapshot))
    }

    /// Holds `snapshot` as the consultation's latest; returns it.
    fn keep(&self, id: Uuid, snapshot: Snapshot) -> Arc<Snapshot> {
        self.keep_arc(id, Arc::new(snapshot))
    }

    fn keep_arc(&self, id: Uuid, snapshot: Arc<Snapshot>) -> Arc<Snapshot> {
        if let Ok(mut entries) = self.inner.entries.lock() {
            entries.insert(id, snapshot.clone());
        }
        snapshot
    }

    /// At most one refresh runs at a time; requests meanwhile get the
    /// previous snapshot.
    fn refresh_in_background(
        &self,
        store: &Store,
        stored: StoredConsultation,
        definition: &Consultation,
    ) {
        if self.inner.refreshing.swap(true, Ordering::AcqRel) {
            return;
        }
        let (cache, store, definition) = (self.clone(), store.clone(), definition.clone());
        let spawned = std::thread::Builder::new()
            .name("results-refresh".into())
            .spawn(move || {
                let result = store
                    .data_version(stored.id)
                    .map_err(AnalysisError::from)
                    .and_then(|v| cache.build(&store, stored, &definition, v));
                if let Err(e) = result {
                    tracing::warn!(error = %e, "refreshing results failed");
                }
                cache.inner.refreshing.store(false, Ordering::Release);
            });
        if spawned.is_err() {
            self.inner.refreshing.store(false, Ordering::Release);
        }
    }

    /// The cached snapshot of the current definition version: at least as
    /// new as `current` when given, else whatever is held.
    fn cached(&self, stored: StoredConsultation, current: Option<i64>) -> Option<Arc<Snapshot>> {
        let entries = self.inner.entries.lock().ok()?;
        entries
            .get(&stored.id)
            .filter(|s| {
                s.definition_version == stored.version
                    && current.is_none_or(|c| s.data_version >= c)
            })
            .cloned()
    }
}
