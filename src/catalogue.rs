//! The consultations the service offers: definition files read from a
//! folder, checked, and recorded in storage so that each response can name
//! the definition version it answered.
use crate::domain::{Consultation, DefinitionError};
use crate::storage::{StorageError, Store, StoredConsultation};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Loaded {
    pub definition: Consultation,
    pub stored: StoredConsultation,
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

    pub fn by_id(&self, id: uuid::Uuid) -> Option<Arc<Loaded>> {
        self.by_slug.values().find(|l| l.stored.id == id).cloned()
    }
}
