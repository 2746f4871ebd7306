//! Analysis of stored responses. Results are kept in memory per
//! consultation and rebuilt only when the consultation's data version in
//! the database has moved, so that every instance of a deployment answers
//! the same while none re-reads unchanged data.
pub mod tally;

pub use tally::{OptionCount, QuestionTally, Tally};

use crate::domain::Consultation;
use crate::storage::{StorageError, Store, StoredConsultation};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// What one consultation's results were built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    data_version: i64,
    definition_version: i32,
}

#[derive(Default)]
pub struct ResultsCache {
    entries: Mutex<HashMap<Uuid, (Key, Arc<Tally>)>>,
}

/// Results with the data version they reflect (usable as an ETag).
#[derive(Debug, Clone)]
pub struct Results {
    pub data_version: i64,
    pub tally: Arc<Tally>,
}

impl ResultsCache {
    /// The consultation's results: from memory when the database's data
    /// version has not moved since they were built, else rebuilt.
    pub fn results(
        &self,
        store: &Store,
        stored: StoredConsultation,
        definition: &Consultation,
    ) -> Result<Results, StorageError> {
        let current = store.data_version(stored.id)?;
        if let Some((key, tally)) = self.lookup(stored.id)
            && key.data_version == current
            && key.definition_version == stored.version
        {
            return Ok(Results {
                data_version: current,
                tally,
            });
        }
        let data = store.current_answers(stored.id)?;
        let tally = Arc::new(Tally::count(definition, &data.rows));
        let key = Key {
            data_version: data.data_version,
            definition_version: stored.version,
        };
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(stored.id, (key, tally.clone()));
        }
        Ok(Results {
            data_version: data.data_version,
            tally,
        })
    }

    fn lookup(&self, id: Uuid) -> Option<(Key, Arc<Tally>)> {
        self.entries.lock().ok()?.get(&id).cloned()
    }
}
