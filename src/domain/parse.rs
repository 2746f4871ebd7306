//! Turning a definition file into a `Consultation`, reporting every problem
//! with where it is, rather than stopping at the first.
use super::definition::*;
use super::ids::{SectionId, Slug};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::fmt;

mod question;
use question::{RawQuestion, build_question};

/// One problem in a definition, with a path such as `sections[1].questions[0].id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConsultation {
    slug: String,
    title: String,
    summary: Option<String>,
    organisation: Option<String>,
    opens_at: Option<String>,
    closes_at: Option<String>,
    retention_days: Option<u32>,
    #[serde(default)]
    invite_only: bool,
    sections: Vec<RawSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: String,
    title: String,
    intro: Option<String>,
    questions: Vec<RawQuestion>,
}

/// How long identifying answers are kept when a definition does not say.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;

/// Longest free-text answer a definition may allow, in characters.
pub const MAX_TEXT_LENGTH: u64 = 100_000;

#[derive(Default)]
struct Errors(Vec<DefinitionError>);

impl Errors {
    fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(DefinitionError {
            path: path.into(),
            message: message.into(),
        });
    }
    fn ok<T>(&mut self, path: &str, r: Result<T, String>) -> Option<T> {
        r.map_err(|m| self.add(path, m)).ok()
    }
    fn non_empty(&mut self, path: &str, s: &str) {
        if s.trim().is_empty() {
            self.add(path, "must not be empty");
        }
    }
}

impl Consultation {
    /// Parses and checks a definition; on failure returns every error found.
    /// A leading byte-order mark (what Windows editors write) is skipped.
    pub fn from_json(text: &str) -> Result<Consultation, Vec<DefinitionError>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let syntax = |e: serde_json::Error| {
            vec![DefinitionError {
                path: format!("line {}, column {}", e.line(), e.column()),
                message: e.to_string(),
            }]
        };
        let raw: RawConsultation = serde_json::from_str(text).map_err(syntax)?;
        let mut errs = Errors::default();
        // JSON can only carry NUL escaped, so only such a file is searched.
        if text.contains("\\u0000") {
            let value: serde_json::Value = serde_json::from_str(text).map_err(syntax)?;
            find_nul(&value, &mut String::new(), &mut errs);
        }
        let c = build(raw, &mut errs);
        match c {
            Some(c) if errs.0.is_empty() => Ok(c),
            _ => Err(errs.0),
        }
    }
}

/// Every string holding NUL, by its path (`sections[0].title`).
fn find_nul(v: &serde_json::Value, path: &mut String, errs: &mut Errors) {
    use serde_json::Value;
    let len = path.len();
    match v {
        Value::String(s) if s.contains('\0') => {
            errs.add(path.clone(), super::check::NUL_MESSAGE);
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                find_nul(item, path, errs);
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                find_nul(item, path, errs);
                path.truncate(len);
            }
        }
        // Text without a NUL, or no text at all.
        Value::String(_) | Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn parse_time(errs: &mut Errors, path: &str, s: &Option<String>) -> Option<DateTime<Utc>> {
    let s = s.as_ref()?;
    match DateTime::parse_from_rfc3339(s) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(e) => {
            errs.add(path, format!("'{s}' is not an RFC 3339 date and time: {e}"));
            None
        }
    }
}

fn build(raw: RawConsultation, errs: &mut Errors) -> Option<Consultation> {
    let slug = errs.ok("slug", Slug::parse(&raw.slug));
    errs.non_empty("title", &raw.title);
    let opens_at = parse_time(errs, "opens_at", &raw.opens_at);
    let closes_at = parse_time(errs, "closes_at", &raw.closes_at);
    if let (Some(o), Some(c)) = (opens_at, closes_at)
        && o >= c
    {
        errs.add("closes_at", "must be later than opens_at");
    }
    if raw.sections.is_empty() {
        errs.add("sections", "a consultation needs at least one section");
    }
    let mut section_ids = HashSet::new();
    // Questions seen so far, in order: a condition may only refer back.
    let mut earlier: HashMap<String, Question> = HashMap::new();
    let mut all_ids: HashSet<String> = HashSet::new();
    for s in &raw.sections {
        for q in &s.questions {
            all_ids.insert(q.id.clone());
        }
    }
    let mut sections = Vec::new();
    for (si, rs) in raw.sections.into_iter().enumerate() {
        let sp = format!("sections[{si}]");
        let id = errs.ok(&format!("{sp}.id"), SectionId::parse(&rs.id));
        if !section_ids.insert(rs.id.clone()) {
            errs.add(
                format!("{sp}.id"),
                format!("duplicate section id '{}'", rs.id),
            );
        }
        errs.non_empty(&format!("{sp}.title"), &rs.title);
        if rs.questions.is_empty() {
            errs.add(
                format!("{sp}.questions"),
                "a section needs at least one question",
            );
        }
        let mut questions = Vec::new();
        for (qi, rq) in rs.questions.into_iter().enumerate() {
            let qp = format!("{sp}.questions[{qi}]");
            let dup = earlier.contains_key(&rq.id);
            if dup {
                errs.add(
                    format!("{qp}.id"),
                    format!("duplicate question id '{}'", rq.id),
                );
            }
            if let Some(q) = build_question(rq, &qp, &earlier, &all_ids, errs) {
                if !dup {
                    earlier.insert(q.id.as_str().to_owned(), q.clone());
                }
                questions.push(q);
            }
        }
        if let Some(id) = id {
            sections.push(Section {
                id,
                title: rs.title,
                intro: rs.intro,
                questions,
            });
        }
    }
    Some(Consultation {
        slug: slug?,
        title: raw.title,
        summary: raw.summary,
        organisation: raw.organisation,
        opens_at,
        closes_at,
        retention_days: raw.retention_days.unwrap_or(DEFAULT_RETENTION_DAYS),
        invite_only: raw.invite_only,
        sections,
    })
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
