//! Disclosure reports kept per data version, as analyses are: the
//! researchers' page and the disclosure route show what an export would
//! do, which means building a whole release; it is built again only when a
//! response has changed since.
use super::release::{Disclosure, Options};
use super::release_stored;
use crate::domain::Consultation;
use crate::storage::{Store, StoredConsultation};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use uuid::Uuid;

/// Reports kept at most, over every consultation and option.
const MAX_ENTRIES: usize = 64;

/// What a report depends on besides the data version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    consultation: Uuid,
    definition_version: i32,
    k: usize,
    identified: bool,
}

#[derive(Default)]
pub struct DisclosureCache {
    /// The latest report for each key, with the data version it was built
    /// from.
    entries: Mutex<HashMap<Key, (i64, Arc<Disclosure>)>>,
    // Held while a report is built, so that a burst of views after a change
    // reads the data once.
    building: Mutex<()>,
}

impl DisclosureCache {
    /// The report of an export of `stored` with `opts`, as of now.
    pub fn get(
        &self,
        store: &Store,
        definition: &Consultation,
        stored: StoredConsultation,
        opts: &Options,
    ) -> Result<Arc<Disclosure>, super::ExportError> {
        let key = Key {
            consultation: stored.id,
            definition_version: stored.version,
            k: opts.k,
            identified: opts.identified,
        };
        let cached = |version: i64| {
            let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            entries
                .get(&key)
                .filter(|(v, _)| *v == version)
                .map(|(_, d)| d.clone())
        };
        if let Some(d) = cached(store.data_version(stored.id)?) {
            return Ok(d);
        }
        let _building = self.building.lock().unwrap_or_else(PoisonError::into_inner);
        // Read before building: a change made while it builds then leaves
        // a version behind the data, which the next view rebuilds.
        let version = store.data_version(stored.id)?;
        if let Some(d) = cached(version) {
            return Ok(d);
        }
        let d = Arc::new(release_stored(store, definition, stored.id, opts)?.disclosure);
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        // `k` comes from the query: older versions go, and the whole cache
        // is bounded, so that asking for every k cannot grow it for ever.
        entries.retain(|k, (v, _)| k.consultation != key.consultation || *v == version);
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, (version, d.clone()));
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::answers::validate_response;
    use crate::storage::NewSubmission;

    #[test]
    fn a_report_is_built_once_per_data_version() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let db = dir.path().join("c.sqlite3");
        let store = Store::open(&db.to_string_lossy()).unwrap_or_else(|e| panic!("{e}"));
        let fixtures =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/consultations");
        let catalogue =
            crate::catalogue::Catalogue::load(&fixtures, &store).unwrap_or_else(|e| panic!("{e}"));
        let loaded = catalogue
            .all()
            .next()
            .cloned()
            .unwrap_or_else(|| panic!("a consultation"));
        let answers = serde_json::json!({
            "stakeholder_group": "ccg", "region": "london", "role": "chair", "q1": "agree"
        });
        let submit = || {
            let a = validate_response(
                &loaded.definition,
                answers.as_object().unwrap_or_else(|| panic!()),
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
            store
                .submit(&NewSubmission {
                    consultation: loaded.stored,
                    submission_id: None,
                    answers: &a,
                    channel: crate::storage::Channel::Api,
                    submitted_at: None,
                })
                .unwrap_or_else(|e| panic!("{e}"));
        };
        submit();
        let cache = DisclosureCache::default();
        let get = |opts: &Options| {
            cache
                .get(&store, &loaded.definition, loaded.stored, opts)
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let first = get(&Options::default());
        assert_eq!(first.rows_stored, 1);
        assert!(
            Arc::ptr_eq(&first, &get(&Options::default())),
            "built again"
        );
        // Other options are another report.
        let k3 = get(&Options {
            k: 3,
            ..Options::default()
        });
        assert!(!Arc::ptr_eq(&first, &k3));
        // Asking for every k keeps the cache bounded.
        for k in 2..(2 + 2 * MAX_ENTRIES) {
            get(&Options {
                k,
                ..Options::default()
            });
        }
        assert!(cache.entries.lock().map_or(0, |e| e.len()) <= MAX_ENTRIES);
        // A new response is seen at once.
        submit();
        let second = get(&Options::default());
        assert_eq!(second.rows_stored, 2);
        assert!(!Arc::ptr_eq(&first, &second));
    }
}
