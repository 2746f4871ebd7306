//! What a download holds: one row per response and one column per
//! question (a 0/1 column per multiple-choice option), anonymised unless
//! the staff's identified export is asked for.
use super::kanon::{self, Generalisation};
use super::scrub::{Scrubbed, scrub};
use crate::domain::{AnswerValue, Answers, Consultation, Privacy, QuestionKind};
use chrono::Datelike;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Lowest k allowed: k = 1 would be no protection at all.
pub const MIN_K: usize = 2;
pub const DEFAULT_K: usize = 5;

/// One stored response, as exports read it.
#[derive(Debug, Clone)]
pub struct ExportResponse {
    pub id: String,
    pub submitted_at: chrono::NaiveDateTime,
    pub answers: Answers,
}

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
    pub rows: Vec<Vec<Option<String>>>,
    pub disclosure: Disclosure,
}

fn iso_week(t: chrono::NaiveDateTime) -> String {
    let w = t.date().iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

fn columns(c: &Consultation, identified: bool) -> Vec<Column> {
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

/// The cells of one response, in `columns` order.
fn cells(
    c: &Consultation,
    r: &ExportResponse,
    opts: &Options,
    scrubbed: &mut Scrubbed,
) -> Vec<Option<String>> {
    let own: Vec<&str> = c
        .questions()
        .filter(|q| q.privacy == Privacy::Identifier)
        .filter_map(|q| match r.answers.get(q.id.as_str()) {
            Some(AnswerValue::Text(t)) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    let mut row = vec![
        Some(r.id.clone()),
        Some(if opts.identified {
            r.submitted_at.and_utc().to_rfc3339()
        } else {
            iso_week(r.submitted_at)
        }),
    ];
    for q in c.questions() {
        if q.privacy == Privacy::Identifier && !opts.identified {
            continue;
        }
        let answer = r.answers.get(q.id.as_str());
        match (&q.kind, answer) {
            (QuestionKind::MultipleChoice { options }, a) => {
                for o in options {
                    row.push(match a {
                        Some(AnswerValue::Choices(cs)) => {
                            Some(if cs.contains(&o.code) { "1" } else { "0" }.to_owned())
                        }
                        _ => None,
                    });
                }
            }
            (_, Some(AnswerValue::Choice(code))) => row.push(Some(code.to_string())),
            (_, Some(AnswerValue::Text(t))) if opts.identified => row.push(Some(t.clone())),
            (_, Some(AnswerValue::Text(t))) => {
                let (clean, found) = scrub(t, &own);
                scrubbed.add(&found);
                row.push(Some(clean));
            }
            _ => row.push(None),
        }
    }
    row
}

/// Builds the release: identified (everything, as stored) or anonymised
/// (identifiers removed, fresh ids, rows shuffled, weeks not times,
/// quasi-identifiers generalised or withheld to k, free text scrubbed).
///
/// Each response is turned into its cells and dropped, so that at a million
/// responses only one form of them is held at a time.
pub fn release(
    c: &Consultation,
    responses: impl IntoIterator<Item = ExportResponse>,
    opts: &Options,
) -> Release {
    let k = opts.k.max(MIN_K);
    let mut cols = columns(c, opts.identified);
    let mut scrubbed = Scrubbed::default();
    let mut rows: Vec<Vec<Option<String>>> = responses
        .into_iter()
        .map(|r| cells(c, &r, opts, &mut scrubbed))
        .collect();
    let mut disclosure = Disclosure {
        identified: opts.identified,
        k,
        rows_stored: rows.len(),
        ..Disclosure::default()
    };
    if opts.identified {
        disclosure.timestamps = "exact (identified export)".into();
        disclosure.rows_released = rows.len();
        return Release {
            columns: cols,
            rows,
            disclosure,
        };
    }
    let mut rng = match opts.seed {
        Some(s) => ChaCha8Rng::seed_from_u64(s),
        None => ChaCha8Rng::from_os_rng(),
    };
    for row in &mut rows {
        let mut bytes = [0u8; 16];
        rng.fill(&mut bytes);
        row[0] = Some(
            uuid::Builder::from_random_bytes(bytes)
                .into_uuid()
                .to_string(),
        );
    }
    rows.shuffle(&mut rng);

    let qi: Vec<usize> = c
        .questions()
        .filter(|q| q.privacy == Privacy::QuasiIdentifier)
        .filter_map(|q| cols.iter().position(|col| col.name == q.id.as_str()))
        .collect();
    let outcome = kanon::protect(&mut rows, &qi, &mut cols, k);
    disclosure.quasi_identifiers = qi.iter().map(|&j| cols[j].name.clone()).collect();
    disclosure.generalised = outcome.generalised;
    disclosure.suppressed_columns = outcome.suppressed_columns;
    disclosure.suppressed_rows = outcome.suppressed_rows;
    disclosure.min_k = kanon::min_class(&rows, &qi);
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
        rows,
        disclosure,
    }
}
