//! What a breakdown asks for, checked against the definition once, at the
//! edge: the question, the single-choice question it is broken down by,
//! and the filters.
use crate::domain::coding::{Codebook, Theme};
use crate::domain::{Consultation, FieldError, Question, QuestionKind};
use chrono::{DateTime, NaiveDate, Utc};

/// Keep responses whose answer to `question` is one of `any_of`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerFilter {
    pub question: String,
    pub any_of: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub answers: Vec<AnswerFilter>,
    /// Submitted on or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Submitted before this instant.
    pub until: Option<DateTime<Utc>>,
}

impl Filters {
    /// Which respondents are kept, in words, for a chart's subtitle; None
    /// when none are left out.
    pub fn describe(&self, c: &Consultation) -> Option<String> {
        let mut parts: Vec<String> = self
            .answers
            .iter()
            .map(|a| {
                let q = c.question(&a.question);
                let label = |code: &String| {
                    q.and_then(|q| q.option(code))
                        .map_or_else(|| code.clone(), |o| o.label.clone())
                };
                let labels: Vec<String> = a.any_of.iter().map(label).collect();
                let text = q.map_or(a.question.as_str(), |q| q.text.as_str());
                format!("who answered {} to “{text}”", labels.join(" or "))
            })
            .collect();
        let day = |d: NaiveDate| d.format("%-d %B %Y").to_string();
        let first = self.from.map(|t| day(t.date_naive()));
        // `until` is the start of the day after the last one kept.
        let last = self.until.and_then(|t| t.date_naive().pred_opt()).map(day);
        match (first, last) {
            (Some(f), Some(l)) => parts.push(format!("who submitted from {f} to {l}")),
            (Some(f), None) => parts.push(format!("who submitted on or after {f}")),
            (None, Some(l)) => parts.push(format!("who submitted on or before {l}")),
            (None, None) => {}
        }
        (!parts.is_empty()).then(|| format!("Only respondents {}", parts.join(" and ")))
    }
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub question: Question,
    pub by: Question,
    pub filters: Filters,
    /// A free-text question's themes, counted as options (`with_codebook`).
    pub themes: Vec<Theme>,
}

/// The request as it arrives, before checking.
#[derive(Debug, Clone, Default)]
pub struct RawSpec {
    pub question: Option<String>,
    pub by: Option<String>,
    /// `question:code[,code...]`, each as given.
    pub filters: Vec<String>,
    /// Dates, `YYYY-MM-DD`: `from` inclusive, `to` inclusive (whole day).
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A closed question, or a free-text one staff code.
fn countable(c: &Consultation, id: &str) -> Option<Question> {
    c.question(id)
        .filter(|q| !matches!(q.kind, QuestionKind::FreeText { .. }) || q.is_codable())
        .cloned()
}

fn single(c: &Consultation, id: &str) -> Option<Question> {
    c.question(id)
        .filter(|q| matches!(q.kind, QuestionKind::SingleChoice { .. }))
        .cloned()
}

fn date(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                format!("'{text}' is not a date (YYYY-MM-DD)"),
            ));
            None
        }
    }
}

/// `question:code[,code]` filters on single-choice answers, each problem
/// added to `errors` under `filter`.
pub fn parse_filters(c: &Consultation, raw: &[String], errors: &mut Vec<FieldError>) -> Filters {
    let mut filters = Filters::default();
    for f in raw {
        let Some((id, codes)) = f.split_once(':') else {
            errors.push(FieldError::new(
                "filter",
                format!("'{f}' is not question:code[,code]"),
            ));
            continue;
        };
        let Some(fq) = single(c, id) else {
            errors.push(FieldError::new(
                "filter",
                format!("'{id}' is not a single-choice question of this consultation"),
            ));
            continue;
        };
        let any_of: Vec<String> = codes.split(',').map(|s| s.trim().to_owned()).collect();
        for code in &any_of {
            if fq.option(code).is_none() {
                errors.push(FieldError::new(
                    "filter",
                    format!("'{code}' is not an option of {id}"),
                ));
            }
        }
        filters.answers.push(AnswerFilter {
            question: id.to_owned(),
            any_of,
        });
    }
    filters
}

impl Spec {
    /// A free-text question's themes from `book`: a snapshot's, so that
    /// they match its frame's columns.
    pub fn with_codebook(mut self, book: &Codebook) -> Spec {
        if matches!(self.question.kind, QuestionKind::FreeText { .. }) {
            self.themes = book.of(self.question.id.as_str()).to_vec();
        }
        self
    }

    pub fn is_free_text(&self) -> bool {
        matches!(self.question.kind, QuestionKind::FreeText { .. })
    }

    /// Checks every part and reports every problem, each naming its field.
    pub fn parse(c: &Consultation, raw: &RawSpec) -> Result<Spec, Vec<FieldError>> {
        let mut errors = Vec::new();
        let question = match raw.question.as_deref() {
            None | Some("") => {
                errors.push(FieldError::new(
                    "question",
                    "say which question to break down",
                ));
                None
            }
            Some(id) => countable(c, id).or_else(|| {
                errors.push(FieldError::new(
                    "question",
                    format!("'{id}' is not a question of this consultation that can be counted"),
                ));
                None
            }),
        };
        let by_id = raw.by.as_deref().unwrap_or("stakeholder_group");
        let by = single(c, by_id).or_else(|| {
            errors.push(FieldError::new(
                "by",
                format!("'{by_id}' is not a single-choice question of this consultation"),
            ));
            None
        });
        if let (Some(q), Some(b)) = (&question, &by)
            && q.id == b.id
        {
            errors.push(FieldError::new(
                "by",
                "a question cannot be broken down by itself",
            ));
        }
        let mut filters = parse_filters(c, &raw.filters, &mut errors);
        let from = raw
            .from
            .as_deref()
            .and_then(|t| date("from", t, &mut errors));
        let to = raw.to.as_deref().and_then(|t| date("to", t, &mut errors));
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.push(FieldError::new("to", "'to' is before 'from'"));
        }
        filters.from = from
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc());
        filters.until = to
            .and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc());
        match (question, by) {
            (Some(question), Some(by)) if errors.is_empty() => Ok(Spec {
                question,
                by,
                filters,
                themes: Vec::new(),
            }),
            _ => Err(errors),
        }
    }
}
