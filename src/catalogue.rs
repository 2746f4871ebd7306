//! The consultations the service offers: definition files read from a
//! folder, checked, and recorded in storage so that each response can name
//! the definition version it answered.
use crate::domain::{Consultation, DefinitionError};
use crate::storage::{Schedule, StorageError, Store, StoredConsultation};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Loaded {
    pub definition: Consultation,
    pub stored: StoredConsultation,
}

impl Loaded {
    /// Whether it takes responses at `now`: by the administrator's schedule
    /// once one is set (kept in the database, so every instance agrees),
    /// otherwise by the definition's opening and closing times.
    pub fn open_at(&self, schedule: Option<Schedule>, now: chrono::DateTime<chrono::Utc>) -> bool {
        match schedule {
            Some((opens, closes)) => {
                let now = now.naive_utc();
                opens.is_none_or(|o| o <= now) && closes.is_none_or(|c| c > now)
            }
            None => self.definition.is_open_at(now),
        }
    }

    /// Whether it takes responses now (blocking: reads the schedule).
    pub fn is_open(&self, store: &Store) -> Result<bool, StorageError> {
        Ok(self.open_at(store.schedule(self.stored.id)?, chrono::Utc::now()))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid consultation definition:\n{}", format_errors(.errors))]
    Invalid {
        path: PathBuf,
        errors: Vec<DefinitionError>,
    },
    #[error("{path}: slug '{slug}' is also used by {other}")]
    DuplicateSlug {
        path: PathBuf,
        slug: String,
        other: PathBuf,
    },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

fn format_errors(errors: &[DefinitionError]) -> String {
    errors
        .iter()
        .map(|e| format!("  - {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads and checks one definition file.
pub fn read_definition(path: &Path) -> Result<Consultation, CatalogueError> {
    let text = std::fs::read_to_string(path).map_err(|source| CatalogueError::Read {
        path: path.to_owned(),
        source,
    })?;
    Consultation::from_json(&text).map_err(|errors| CatalogueError::Invalid {
        path: path.to_owned(),
        errors,
    })
}

/// The `*.json` files of a folder, sorted by name.
pub fn definition_files(dir: &Path) -> Result<Vec<PathBuf>, CatalogueError> {
    let read_err = |source| CatalogueError::Read {
        path: dir.to_owned(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_err)? {
        let path = entry.map_err(read_err)?.path();
        if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Consultations by slug, shared read-only by every worker.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    by_slug: Arc<BTreeMap<String, Arc<Loaded>>>,
}

impl Catalogue {
    /// Loads every definition in `dir` and records it in `store`. Any bad
    /// file stops the load, so a service never starts with half its
    /// consultations.
    pub fn load(dir: &Path, store: &Store) -> Result<Catalogue, CatalogueError> {
        let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
        let mut defs = Vec::new();
        for path in definition_files(dir)? {
            let def = read_definition(&path)?;
            if let Some(other) = seen.insert(def.slug.to_string(), path.clone()) {
                return Err(CatalogueError::DuplicateSlug {
                    path,
                    slug: def.slug.to_string(),
                    other,
                });
            }
            defs.push(def);
        }
        let mut by_slug = BTreeMap::new();
        for def in defs {
            let canonical = serde_json::to_string(&def).map_err(StorageError::Encode)?;
            let stored = store.sync_consultation(def.slug.as_str(), &def.title, &canonical)?;
            by_slug.insert(
                def.slug.to_string(),
                Arc::new(Loaded {
                    definition: def,
                    stored,
                }),
            );
        }
        Ok(Catalogue {
            by_slug: Arc::new(by_slug),
        })
    }

    pub fn get(&self, slug: &str) -> Option<Arc<Loaded>> {
        self.by_slug.get(slug).cloned()
    }

    pub fn all(&self) -> impl Iterator<Item = &Arc<Loaded>> {
        self.by_slug.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_set_schedule_overrides_the_definition() {
        let mut definition = crate::test_support::demo();
        let at = |d: u32| {
            Utc.with_ymd_and_hms(2020, 9, d, 12, 0, 0)
                .single()
                .unwrap_or_default()
        };
        definition.opens_at = Some(at(1));
        definition.closes_at = Some(at(30));
        let loaded = Loaded {
            definition,
            stored: StoredConsultation {
                id: uuid::Uuid::nil(),
                version: 1,
            },
        };
        // No schedule: the definition's times, closing time excluded.
        assert!(!loaded.open_at(None, at(1) - chrono::Duration::seconds(1)));
        assert!(loaded.open_at(None, at(1)));
        assert!(!loaded.open_at(None, at(30)));
        // Closed now by an administrator, inside the definition's window.
        let closed = Some((None, Some(at(10).naive_utc())));
        assert!(loaded.open_at(closed, at(9)));
        assert!(!loaded.open_at(closed, at(10)));
        // Reopened: open after the definition's closing time.
        let reopened = Some((Some(at(10).naive_utc()), None));
        assert!(!loaded.open_at(reopened, at(9)));
        assert!(loaded.open_at(reopened, at(30)));
    }
}
