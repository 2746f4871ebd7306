//! The report: every closed question's breakdown as CSV, SVG and PNG, and
//! one self-contained HTML page with the headlines, tables and charts.
use super::breakdown_csv;
use super::table::{Table, table};
use crate::analysis::breakdown::breakdown;
use crate::analysis::headline::headlines;
use crate::analysis::{RawSpec, Spec};
use crate::charts::{self, Kind, Source};
use crate::domain::{Consultation, Privacy, QuestionKind};
use askama::Template;
use polars::prelude::DataFrame;
use std::path::{Path, PathBuf};

pub struct Section {
    pub id: String,
    pub text: String,
    pub svg: String,
    pub table: Table,
    pub headline: Option<String>,
}

#[derive(Template)]
#[template(path = "report.html", config = "frontend/askama.toml")]
struct ReportPage<'a> {
    title: &'a str,
    date: String,
    by: String,
    responses: u64,
    headlines: Vec<String>,
    sections: Vec<Section>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{0}")]
    Analysis(#[from] polars::prelude::PolarsError),
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

fn write(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    std::fs::write(path, bytes).map_err(|e| ReportError::Write(path.to_owned(), e))
}

/// Writes the report into `out`; `progress` is called after each question.
pub fn write_report(
    c: &Consultation,
    frame: &DataFrame,
    responses: u64,
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
    let sentences = headlines(c, frame)?;
    let mut written = Vec::new();
    let mut sections = Vec::new();
    let mut by_text = String::new();
    for q in questions(c) {
        let raw = RawSpec {
            question: Some(q.id.to_string()),
            by: Some(by.to_owned()),
            ..RawSpec::default()
        };
        let spec = Spec::parse(c, &raw).map_err(|errors| {
            let why = errors
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("; ");
            ReportError::By(by.to_owned(), why)
        })?;
        let b = breakdown(frame, &spec)?;
        by_text = b.by_text.clone();
        // The report is by `by` throughout: multiple choice too is grouped.
        let kind = Kind::default_for(q.question_type());
        let svg = charts::svg(&b, kind, &source)?;
        for (ext, bytes) in [
            ("csv", breakdown_csv(&b)?.into_bytes()),
            ("svg", svg.clone().into_bytes()),
            ("png", charts::png(&b, kind, &source)?),
        ] {
            let path = out.join(format!("{}.{ext}", q.id));
            write(&path, &bytes)?;
            written.push(path);
        }
        sections.push(Section {
            id: q.id.to_string(),
            text: q.text.clone(),
            svg,
            table: table(&b),
            headline: sentences
                .iter()
                .find(|h| h.question == q.id.as_str())
                .map(|h| h.sentence.clone()),
        });
        progress(q.id.as_str());
    }
    let html = ReportPage {
        title: &c.title,
        date: today.format("%-d %B %Y").to_string(),
        by: by_text,
        responses,
        headlines: sentences.into_iter().map(|h| h.sentence).collect(),
        sections,
    }
    .render()?;
    let index = out.join("index.html");
    write(&index, html.as_bytes())?;
    written.push(index);
    Ok(written)
}
