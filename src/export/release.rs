//! What a download holds: one row per response and one column per
//! question (a 0/1 column per multiple-choice option), anonymised unless
//! the staff's identified export is asked for.
pub use super::builder::Builder;
use super::kanon::{self, Generalisation};
use super::scrub::Scrubbed;
use super::values::{Texts, Values};
use crate::domain::{Consultation, Privacy, QuestionKind};
use crate::storage::CurrentResponse;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Lowest k allowed: k = 1 would be no protection at all.
pub const MIN_K: usize = 2;
pub const DEFAULT_K: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// A response id (fresh and random in anonymised exports).
    Id,
    /// When submitted: an ISO week, or the full time when identified.
    When,
    /// An answer code of a single-choice question.
    Code,
    /// 1 when the option was chosen, 0 when not, empty when the question
    /// was not answered.
    Flag,
    Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub name: String,
    pub title: String,
    pub kind: ColumnKind,
    /// For codes: every value the column can hold, with its label.
    pub categories: Vec<(String, String)>,
}

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

pub(super) fn columns(c: &Consultation, identified: bool) -> Vec<Column> {
    let mut cols = vec![
        Column {
            name: "response_id".into(),
            title: "Response (a random id, the same only within this file)".into(),
            kind: ColumnKind::Id,
            categories: Vec::new(),
        },
        if identified {
            Column {
                name: "submitted_at".into(),
                title: "Submitted at (UTC)".into(),
                kind: ColumnKind::When,
                categories: Vec::new(),
            }
        } else {
            Column {
                name: "week_submitted".into(),
                title: "Week submitted (ISO 8601 week)".into(),
                kind: ColumnKind::When,
                categories: Vec::new(),
            }
        },
    ];
    for q in c.questions() {
        if q.privacy == Privacy::Identifier && !identified {
            continue;
        }
        match &q.kind {
            QuestionKind::SingleChoice { options, .. } => cols.push(Column {
                name: q.id.to_string(),
                title: q.text.clone(),
                kind: ColumnKind::Code,
                categories: options
                    .iter()
                    .map(|o| (o.code.to_string(), o.label.clone()))
                    .collect(),
            }),
            QuestionKind::MultipleChoice { options } => {
                for o in options {
                    cols.push(Column {
                        name: format!("{}__{}", q.id, o.code),
                        title: format!("{} {}", q.text, o.label),
                        kind: ColumnKind::Flag,
                        categories: Vec::new(),
                    });
                }
            }
            QuestionKind::FreeText { .. } => cols.push(Column {
                name: q.id.to_string(),
                title: q.text.clone(),
                kind: ColumnKind::Text,
                categories: Vec::new(),
            }),
        }
    }
    cols
}

/// Builds the release: identified (everything, as stored) or anonymised
/// (identifiers removed, fresh ids, rows shuffled, weeks not times,
/// quasi-identifiers generalised or withheld to k, free text scrubbed).
///
/// Each response is added to the columns and dropped, so that at a million
/// responses only one form of them is held at a time.
pub fn release(
    c: &Consultation,
    responses: impl IntoIterator<Item = CurrentResponse>,
    opts: &Options,
) -> Release {
    let mut b = Builder::new(c, opts);
    for r in responses {
        b.push(&r);
    }
    b.finish()
}

/// `n` random ids, as text.
fn fresh_ids(mut rng: ChaCha8Rng, n: usize) -> Texts {
    let mut ids = Texts::default();
    let mut id = uuid::Uuid::encode_buffer();
    for _ in 0..n {
        let mut bytes = [0u8; 16];
        rng.fill(&mut bytes);
        let text = uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .hyphenated()
            .encode_lower(&mut id);
        ids.push(Some(text));
    }
    ids
}

pub(super) fn finish(
    c: &Consultation,
    mut cols: Vec<Column>,
    mut values: Vec<Values>,
    scrubbed: Scrubbed,
    opts: &Options,
) -> Release {
    let k = opts.k.max(MIN_K);
    let n = values[0].len();
    let mut disclosure = Disclosure {
        identified: opts.identified,
        k,
        rows_stored: n,
        ..Disclosure::default()
    };
    if opts.identified {
        disclosure.timestamps = "exact (identified export)".into();
        disclosure.rows_released = n;
        return Release {
            columns: cols,
            values,
            rows: (0..n).collect(),
            disclosure,
        };
    }
    let mut rng = match opts.seed {
        Some(s) => ChaCha8Rng::seed_from_u64(s),
        None => ChaCha8Rng::from_os_rng(),
    };
    // Fresh ids are made while the quasi-identifiers are protected.
    let id_rng = ChaCha8Rng::from_rng(&mut rng);
    let qi: Vec<usize> = c
        .questions()
        .filter(|q| q.privacy == Privacy::QuasiIdentifier)
        .filter_map(|q| cols.iter().position(|col| col.name == q.id.as_str()))
        .collect();
    let (ids, outcome) = std::thread::scope(|scope| {
        let ids = scope.spawn(move || fresh_ids(id_rng, n));
        let outcome = kanon::protect(&mut values, &qi, &mut cols, k);
        // A panic there is a bug: it goes on as a panic here.
        let ids = ids
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (ids, outcome)
    });
    values[0] = Values::Text(ids);
    let mut rows = outcome.rows;
    rows.shuffle(&mut rng);
    disclosure.quasi_identifiers = qi.iter().map(|&j| cols[j].name.clone()).collect();
    disclosure.generalised = outcome.generalised;
    disclosure.suppressed_columns = outcome.suppressed_columns;
    disclosure.suppressed_rows = outcome.suppressed_rows;
    disclosure.min_k = outcome.min_class;
    disclosure.rows_released = rows.len();
    disclosure.scrubbed = scrubbed;
    disclosure.timestamps = "coarsened to the ISO week".into();
    disclosure.removed = c
        .questions()
        .filter(|q| q.privacy == Privacy::Identifier)
        .map(|q| q.id.to_string())
        .chain(
            [
                "internal response ids (replaced by fresh random ids)",
                "receipts, private links and submission ids",
                "exact submission times",
                "IP addresses (never stored)",
            ]
            .map(String::from),
        )
        .collect();
    Release {
        columns: cols,
        values,
        rows,
        disclosure,
    }
}
