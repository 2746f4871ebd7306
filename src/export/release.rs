//! What a download holds: one row per response and one column per
//! question (a 0/1 column per multiple-choice option, and per theme of a
//! coded free-text question), anonymised unless
//! the staff's identified export is asked for.
use super::kanon::Generalisation;
pub use super::plan::{Column, ColumnKind};
use super::scrub::Scrubbed;
use super::values::Values;
#[cfg(test)]
use crate::domain::Consultation;
#[cfg(test)]
use crate::storage::CurrentResponse;
use serde::Serialize;

/// Lowest k allowed: k = 1 would be no protection at all.
pub const MIN_K: usize = 2;
pub const DEFAULT_K: usize = 5;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub k: usize,
    pub identified: bool,
    /// Fixes the shuffle and the fresh ids (tests); random otherwise.
    pub seed: Option<u64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            k: DEFAULT_K,
            identified: false,
            seed: None,
        }
    }
}

/// What was done to make the release safe, for the disclosure report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Disclosure {
    pub identified: bool,
    pub k: usize,
    /// The smallest group of rows sharing one combination of all
    /// quasi-identifiers (a withheld value counts as its own value); null
    /// when no rows are released.
    pub min_k: Option<usize>,
    pub rows_stored: usize,
    pub rows_released: usize,
    /// Rows withheld because their combination could not reach k.
    pub suppressed_rows: usize,
    pub removed: Vec<String>,
    pub quasi_identifiers: Vec<String>,
    pub generalised: Vec<Generalisation>,
    /// Quasi-identifiers withheld for every row.
    pub suppressed_columns: Vec<String>,
    pub scrubbed: Scrubbed,
    pub timestamps: String,
}

#[derive(Debug, Clone)]
pub struct Release {
    pub columns: Vec<Column>,
    /// One entry per column, in `columns` order, one value per stored
    /// response in stored order.
    pub values: Vec<Values>,
    /// The rows of `values` released, in release order (shuffled when
    /// anonymised): the columns are never moved themselves.
    pub rows: Vec<usize>,
    pub disclosure: Disclosure,
}

impl Release {
    /// Rows released.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Released row `i`, column `j` as text.
    pub fn cell(&self, i: usize, j: usize) -> Option<&str> {
        self.values[j].cell(self.rows[i], &self.columns[j].categories)
    }
}

/// Builds the release in one go (tests; the service reads stored pages
/// through `release_stored`): identified (everything, as stored) or anonymised
/// (identifiers removed, fresh ids, rows shuffled, weeks not times,
/// quasi-identifiers generalised or withheld to k, free text scrubbed).
///
/// Each response is added to the columns and dropped, so that at a million
/// responses only one form of them is held at a time.
#[cfg(test)]
pub fn release(
    c: &Consultation,
    responses: impl IntoIterator<Item = CurrentResponse>,
    opts: &Options,
) -> Release {
    release_coded(c, &super::coding::Coding::default(), responses, opts)
}

/// `release` with staff's coding of the free-text answers.
#[cfg(test)]
pub fn release_coded(
    c: &Consultation,
    coding: &super::coding::Coding,
    responses: impl IntoIterator<Item = CurrentResponse>,
    opts: &Options,
) -> Release {
    let mut b = super::builder::Builder::new(c, coding, opts);
    for r in responses {
        b.push(&r).unwrap_or_else(|e| panic!("{e}"));
    }
    b.finish()
}
