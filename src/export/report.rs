//! The report: every closed question's breakdown and every coded
//! free-text question's themes as CSV, SVG and PNG, and one self-contained
//! HTML page with the headlines, tables, charts and quotes.
use super::breakdown_csv;
use super::quotes::Quotes;
use super::table::{Table, table};
use super::text_section::{TextSection, text_section};
use crate::analysis::breakdown::{Breakdown, breakdown};
use crate::analysis::headline::headlines;
use crate::analysis::{AnalysisError, RawSpec, Snapshot, Spec};
use crate::charts::{self, Kind, Source};
use crate::domain::{Consultation, Privacy, Question, QuestionKind};
use askama::Template;
use std::path::{Path, PathBuf};

pub struct Section {
    pub id: String,
    pub text: String,
    pub svg: String,
    pub table: Table,
    pub headline: Option<String>,
}

/// A free-text question's part of the report; no chart while it has no
/// themes.
pub struct TextPart {
    pub section: TextSection,
    pub svg: Option<String>,
}

/// The report's parts, in the definition's order.
pub enum Part {
    Closed(Section),
    Text(TextPart),
}

#[derive(Template)]
#[template(path = "report.html", config = "frontend/askama.toml")]
struct ReportPage<'a> {
    title: &'a str,
    date: String,
    by: String,
    responses: u64,
    headlines: Vec<String>,
    /// Whether any part is a free-text question's.
    has_text: bool,
    parts: Vec<Part>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{0}")]
    Analysis(#[from] polars::prelude::PolarsError),
    #[error("{0}")]
    Results(#[from] AnalysisError),
    #[error("{0}")]
    Chart(#[from] charts::ChartError),
    #[error("{0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write {0}: {1}")]
    Write(PathBuf, std::io::Error),
    #[error("{0}")]
    Template(#[from] askama::Error),
    #[error("cannot break down by '{0}': {1}")]
    By(String, String),
}

/// The questions a report covers: every closed question that does not
/// describe the respondent.
pub fn questions(c: &Consultation) -> Vec<&crate::domain::Question> {
    c.questions()
        .filter(|q| !matches!(q.kind, QuestionKind::FreeText { .. }))
        .filter(|q| q.privacy != Privacy::QuasiIdentifier)
        .collect()
}

/// Every question the report covers: the closed ones of `questions` and
/// the codable free-text ones, in the definition's order.
pub fn all_questions(c: &Consultation) -> Vec<&Question> {
    let closed = questions(c);
    c.questions()
        .filter(|q| q.is_codable() || closed.iter().any(|x| x.id == q.id))
        .collect()
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    std::fs::write(path, bytes).map_err(|e| ReportError::Write(path.to_owned(), e))
}

/// `q` broken down by `by`.
fn spec(c: &Consultation, q: &Question, by: &str) -> Result<Spec, ReportError> {
    let raw = RawSpec {
        question: Some(q.id.to_string()),
        by: Some(by.to_owned()),
        ..RawSpec::default()
    };
    Spec::parse(c, &raw).map_err(|errors| {
        let why = errors
            .iter()
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("; ");
        ReportError::By(by.to_owned(), why)
    })
}

/// Writes a breakdown's table and chart files; returns the chart's SVG.
fn write_files(
    b: &Breakdown,
    kind: Kind,
    source: &Source,
    out: &Path,
    written: &mut Vec<PathBuf>,
) -> Result<String, ReportError> {
    let svg = charts::svg(b, kind, source)?;
    for (ext, bytes) in [
        ("csv", breakdown_csv(b)?.into_bytes()),
        ("svg", svg.clone().into_bytes()),
        ("png", charts::png(b, kind, source)?),
    ] {
        let path = out.join(format!("{}.{ext}", b.question));
        write(&path, &bytes)?;
        written.push(path);
    }
    Ok(svg)
}

/// Writes the report into `out`; `progress` is called after each question.
pub fn write_report(
    c: &Consultation,
    snapshot: &Snapshot,
    quotes: &Quotes,
    by: &str,
    out: &Path,
    mut progress: impl FnMut(&str),
) -> Result<Vec<PathBuf>, ReportError> {
    std::fs::create_dir_all(out).map_err(|e| ReportError::Write(out.to_owned(), e))?;
    let today = chrono::Utc::now().date_naive();
    let source = Source {
        consultation: c.title.clone(),
        date: today,
        filters: None,
    };
    let frame = &snapshot.frame;
    let sentences = headlines(c, frame)?;
    let mut written = Vec::new();
    let mut parts = Vec::new();
    let mut by_text = String::new();
    for q in all_questions(c) {
        let spec = spec(c, q, by)?;
        by_text = spec.by.text.clone();
        if q.is_codable() {
            let (section, b) = text_section(snapshot, spec, quotes)?;
            // A chart of no themes would be empty: the section says so.
            let svg = match section.table {
                Some(_) => Some(write_files(&b, Kind::Grouped, &source, out, &mut written)?),
                None => None,
            };
            parts.push(Part::Text(TextPart { section, svg }));
            progress(q.id.as_str());
            continue;
        }
        let b = breakdown(frame, &spec)?;
        // The report is by `by` throughout: multiple choice too is grouped.
        let kind = Kind::default_for(q.question_type());
        let svg = write_files(&b, kind, &source, out, &mut written)?;
        parts.push(Part::Closed(Section {
            id: q.id.to_string(),
            text: q.text.clone(),
            svg,
            table: table(&b),
            headline: sentences
                .iter()
                .find(|h| h.question == q.id.as_str())
                .map(|h| h.sentence.clone()),
        }));
        progress(q.id.as_str());
    }
    let html = ReportPage {
        title: &c.title,
        date: today.format("%-d %B %Y").to_string(),
        by: by_text,
        responses: snapshot.tally.responses,
        headlines: sentences.into_iter().map(|h| h.sentence).collect(),
        has_text: parts.iter().any(|p| matches!(p, Part::Text(_))),
        parts,
    }
    .render()?;
    let index = out.join("index.html");
    write(&index, html.as_bytes())?;
    written.push(index);
    Ok(written)
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
