//! What the templates show: questions and answers flattened into plain
//! strings and flags, so templates hold no logic of their own.
use crate::domain::answers::{AnswerValue, Answers, FieldError, applies};
use crate::domain::definition::{Consultation, QuestionKind, TextFormat};
use serde_json::{Map, Value};

pub struct OptionView {
    pub code: String,
    pub label: String,
    pub input_id: String,
    pub checked: bool,
}

pub struct QuestionView {
    pub id: String,
    pub text: String,
    pub help: String,
    /// `radios`, `checkboxes`, `textarea`, `input` or `email`.
    pub control: &'static str,
    pub options: Vec<OptionView>,
    pub value: String,
    pub error: String,
    pub max_length: usize,
    pub required: bool,
    /// For the script that hides a follow-up until it applies: the
    /// question it depends on and the codes (space-separated).
    pub condition_question: String,
    pub condition_codes: String,
}

/// The questions of section `si` to show, with values from `raw` (the
/// draft, or what was just posted) and any errors. Follow-ups that depend
/// on another section and do not apply are left out.
pub fn section_questions(
    c: &Consultation,
    si: usize,
    raw: &Map<String, Value>,
    context: &Answers,
    errors: &[FieldError],
) -> Vec<QuestionView> {
    let Some(section) = c.sections.get(si) else {
        return Vec::new();
    };
    let on_page = |id: &str| section.questions.iter().any(|q| q.id.as_str() == id);
    let mut out = Vec::new();
    for q in &section.questions {
        let same_page = q
            .condition
            .as_ref()
            .is_some_and(|cd| on_page(cd.question.as_str()));
        if q.condition.is_some() && !same_page && !applies(q, context) {
            continue;
        }
        let raw_value = raw.get(q.id.as_str());
        let selected: Vec<&str> = match raw_value {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let (control, max_length) = match &q.kind {
            QuestionKind::SingleChoice { .. } => ("radios", 0),
            QuestionKind::MultipleChoice { .. } => ("checkboxes", 0),
            QuestionKind::FreeText {
                max_length,
                format: TextFormat::Email,
            } => ("email", *max_length),
            // Short answers (a name) get a one-line input.
            QuestionKind::FreeText { max_length, .. } if *max_length <= 300 => {
                ("input", *max_length)
            }
            QuestionKind::FreeText { max_length, .. } => ("textarea", *max_length),
        };
        let options = q
            .options()
            .iter()
            .enumerate()
            .map(|(i, o)| OptionView {
                code: o.code.to_string(),
                label: o.label.clone(),
                input_id: if i == 0 {
                    q.id.to_string()
                } else {
                    format!("{}-{}", q.id, i + 1)
                },
                checked: selected.contains(&o.code.as_str()),
            })
            .collect();
        let (cq, cc) = match (&q.condition, same_page) {
            (Some(cd), true) => (
                cd.question.to_string(),
                cd.any_of
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => (String::new(), String::new()),
        };
        out.push(QuestionView {
            id: q.id.to_string(),
            text: q.text.clone(),
            help: q.help.clone().unwrap_or_default(),
            control,
            options,
            value: if control == "radios" || control == "checkboxes" {
                String::new()
            } else {
                selected.first().map(|s| s.to_string()).unwrap_or_default()
            },
            error: errors
                .iter()
                .filter(|e| e.field == q.id.as_str())
                .map(|e| sentence(&e.message))
                .collect::<Vec<_>>()
                .join(". "),
            max_length,
            required: q.required,
            condition_question: cq,
            condition_codes: cc,
        });
    }
    out
}

/// Error messages start with a capital on pages ("An answer is required").
pub fn sentence(m: &str) -> String {
    let mut chars = m.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub struct AnswerRow {
    pub question_id: String,
    pub question: String,
    pub answer: Vec<String>,
}

pub struct SectionSummary {
    pub id: String,
    pub title: String,
    pub rows: Vec<AnswerRow>,
}

/// Every applicable question with the member's answer, section by section.
pub fn summary(c: &Consultation, a: &Answers) -> Vec<SectionSummary> {
    c.sections
        .iter()
        .map(|s| SectionSummary {
            id: s.id.to_string(),
            title: s.title.clone(),
            rows: s
                .questions
                .iter()
                .filter(|q| applies(q, a))
                .map(|q| AnswerRow {
                    question_id: q.id.to_string(),
                    question: q.text.clone(),
                    answer: match a.get(q.id.as_str()) {
                        None => vec!["Not answered".to_owned()],
                        Some(AnswerValue::Choice(code)) => vec![label(q, code.as_str())],
                        Some(AnswerValue::Choices(codes)) => {
                            codes.iter().map(|c| label(q, c.as_str())).collect()
                        }
                        Some(AnswerValue::Text(t)) => t.lines().map(str::to_owned).collect(),
                    },
                })
                .collect(),
        })
        .collect()
}

fn label(q: &crate::domain::Question, code: &str) -> String {
    q.option(code)
        .map_or_else(|| code.to_owned(), |o| o.label.clone())
}

/// One line of an error summary, linking to the field.
pub struct ErrorLink {
    pub href: String,
    pub message: String,
}
