//! Reading responses from files (`consult responses import`): JSON as
//! `consult fixtures generate` writes it or a bare array of responses, or
//! CSV with one column per question. Every row is checked with the API's
//! rules; problems are reported by row and column.
use crate::domain::answers::validate_response;
use crate::domain::{Answers, Consultation, QuestionKind};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use std::path::Path;
use uuid::Uuid;

/// One response read from a file and found valid.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub submission_id: Option<Uuid>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub answers: Answers,
}

/// A problem with row `row` (counted from 1) in `column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}, {}: {}", self.row, self.column, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("cannot read {0}: {1}")]
    Read(String, std::io::Error),
    #[error("{0}")]
    Format(String),
    #[error("{} row(s) have problems; nothing was imported:\n{}", count_rows(.0), list(.0))]
    Rows(Vec<RowError>),
}

fn count_rows(errors: &[RowError]) -> usize {
    let mut rows: Vec<usize> = errors.iter().map(|e| e.row).collect();
    rows.dedup();
    rows.len()
}

fn list(errors: &[RowError]) -> String {
    errors
        .iter()
        .map(|e| format!("  - {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A response as read, before validation.
struct RawRow {
    submission_id: Option<String>,
    submitted_at: Option<String>,
    answers: Map<String, Value>,
}

/// Fields a JSON row may have; any other is an error, never ignored.
const ROW_FIELDS: [&str; 3] = ["submission_id", "submitted_at", "answers"];

/// The earliest plausible submission time. Older ones are typing or
/// conversion errors (a year 0000); they would also stretch every
/// per-week view across centuries.
fn earliest_submission() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(946_684_800, 0).unwrap_or_default() // 2000-01-01
}

/// Clocks of the exporting and importing machines may differ this much.
const CLOCK_SKEW: chrono::Duration = chrono::Duration::minutes(5);

/// Refuses a submission time in the future or before 2000.
fn plausible(t: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let shown = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    if t > now + CLOCK_SKEW {
        return Err(format!("{shown} is in the future"));
    }
    if t < earliest_submission() {
        return Err(format!(
            "{shown} is before 2000-01-01: not a plausible submission time"
        ));
    }
    Ok(t)
}

/// Reads `path` (by extension: `.csv`, else JSON) and validates every row.
pub fn read_file(path: &Path, c: &Consultation) -> Result<Vec<ImportRow>, IngestError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| IngestError::Read(path.display().to_string(), e))?;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let (raw, mut errors) = if is_csv {
        parse_csv(&text, c)?
    } else {
        parse_json(&text, c)?
    };
    let mut rows = Vec::new();
    let now = Utc::now();
    for (i, r) in raw.into_iter().enumerate() {
        let row = i + 1;
        let mut err = |column: &str, message: String| {
            errors.push(RowError {
                row,
                column: column.to_owned(),
                message,
            })
        };
        let submission_id = match r.submission_id.as_deref().map(Uuid::parse_str) {
            Some(Ok(u)) => Some(u),
            Some(Err(e)) => {
                err("submission_id", format!("not a UUID: {e}"));
                None
            }
            None => None,
        };
        let submitted_at = match r.submitted_at.as_deref().map(DateTime::parse_from_rfc3339) {
            Some(Ok(t)) => match plausible(t.with_timezone(&Utc), now) {
                Ok(t) => Some(t),
                Err(m) => {
                    err("submitted_at", m);
                    None
                }
            },
            Some(Err(e)) => {
                err("submitted_at", format!("not an RFC 3339 time: {e}"));
                None
            }
            None => None,
        };
        match validate_response(c, &r.answers) {
            Ok(answers) => rows.push(ImportRow {
                submission_id,
                submitted_at,
                answers,
            }),
            Err(field_errors) => {
                for e in field_errors {
                    err(&e.field, e.message);
                }
            }
        }
    }
    errors.sort_by_key(|e| e.row);
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(IngestError::Rows(errors))
    }
}

fn parse_json(text: &str, c: &Consultation) -> Result<Parsed, IngestError> {
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| IngestError::Format(format!("not valid JSON: {e}")))?;
    let items = match &doc {
        Value::Array(items) => items,
        Value::Object(o) => {
            if let Some(slug) = o.get("consultation").and_then(Value::as_str)
                && slug != c.slug.as_str()
            {
                return Err(IngestError::Format(format!(
                    "the file holds responses to '{slug}', not '{}'",
                    c.slug
                )));
            }
            o.get("responses")
                .and_then(Value::as_array)
                .ok_or_else(|| {
                    IngestError::Format(
                        "expected an array of responses or {\"responses\": [...]}".into(),
                    )
                })?
        }
        _ => return Err(IngestError::Format("expected an array of responses".into())),
    };
    let mut rows = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let mut err = |column: &str, message: String| {
            errors.push(RowError {
                row: i + 1,
                column: column.to_owned(),
                message,
            })
        };
        let fields = item
            .as_object()
            .ok_or_else(|| IngestError::Format(format!("row {}: expected an object", i + 1)))?;
        for key in fields.keys().filter(|k| !ROW_FIELDS.contains(&k.as_str())) {
            err(
                key,
                "unknown field: a row has submission_id, submitted_at and answers".into(),
            );
        }
        let mut text_field = |k: &str| match fields.get(k) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                err(k, "expected a string".into());
                None
            }
        };
        let (submission_id, submitted_at) =
            (text_field("submission_id"), text_field("submitted_at"));
        let answers = fields
            .get("answers")
            .and_then(Value::as_object)
            .ok_or_else(|| IngestError::Format(format!("row {}: no \"answers\" object", i + 1)))?;
        rows.push(RawRow {
            submission_id,
            submitted_at,
            answers: answers.clone(),
        });
    }
    Ok((rows, errors))
}

type Parsed = (Vec<RawRow>, Vec<RowError>);

fn parse_csv(text: &str, c: &Consultation) -> Result<Parsed, IngestError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| IngestError::Format(format!("CSV header: {e}")))?
        .clone();
    // A column twice would leave which cell counts to chance.
    for (i, name) in headers.iter().enumerate() {
        if let Some(j) = headers.iter().skip(i + 1).position(|h| h == name) {
            return Err(IngestError::Format(format!(
                "CSV header (line 1): column '{name}' appears twice (columns {} and {})",
                i + 1,
                i + j + 2
            )));
        }
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| IngestError::Format(format!("CSV row {}: {e}", i + 1)))?;
        let mut raw = RawRow {
            submission_id: None,
            submitted_at: None,
            answers: Map::new(),
        };
        for (column, cell) in headers.iter().zip(record.iter()) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            if let Err(message) = put_cell(c, &mut raw, column, cell) {
                errors.push(RowError {
                    row: i + 1,
                    column: column.to_owned(),
                    message,
                });
            }
        }
        rows.push(raw);
    }
    Ok((rows, errors))
}

/// One non-empty cell into the row: a multiple-choice question is either
/// one column of `;`-separated codes or one 0/1 column per option named
/// `<question>__<option>`, as exports write it.
fn put_cell(c: &Consultation, raw: &mut RawRow, column: &str, cell: &str) -> Result<(), String> {
    match column {
        "submission_id" => raw.submission_id = Some(cell.to_owned()),
        "submitted_at" => raw.submitted_at = Some(cell.to_owned()),
        _ => {
            if let Some((q, code)) = column.split_once("__") {
                let multiple = matches!(
                    c.question(q).map(|q| &q.kind),
                    Some(QuestionKind::MultipleChoice { .. })
                );
                if !multiple {
                    return Err(format!("'{q}' is not a multiple-choice question"));
                }
                match cell {
                    "1" => {
                        let entry = raw
                            .answers
                            .entry(q.to_owned())
                            .or_insert_with(|| Value::Array(Vec::new()));
                        if let Value::Array(codes) = entry {
                            codes.push(Value::String(code.to_owned()));
                        }
                    }
                    "0" => {}
                    other => return Err(format!("expected 0 or 1, found '{other}'")),
                }
                return Ok(());
            }
            let value = match c.question(column).map(|q| &q.kind) {
                Some(QuestionKind::MultipleChoice { .. }) => Value::Array(
                    cell.split(';')
                        .map(|s| Value::String(s.trim().to_owned()))
                        .collect(),
                ),
                _ => Value::String(cell.to_owned()),
            };
            raw.answers.insert(column.to_owned(), value);
        }
    }
    Ok(())
}
