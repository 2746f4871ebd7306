//! Checking a member's answers against a consultation definition. The JSON
//! API and the web form share these rules; only what happens to an answer
//! whose condition is not met differs (`Mode`).
use super::definition::{Consultation, Question, QuestionKind, TextFormat};
use super::ids::{OptionCode, QuestionId};
use super::raw::Raw;
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum AnswerValue {
    Choice(OptionCode),
    /// Codes in the definition's order, each once, never empty.
    Choices(Vec<OptionCode>),
    Text(String),
}

/// A set of answers that passed validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Answers(BTreeMap<QuestionId, AnswerValue>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// JSON API: an answer to a question that does not apply is an error.
    Strict,
    /// Web form: such an answer is dropped (a member changed an earlier choice).
    DropInapplicable,
}

impl Answers {
    pub fn get(&self, id: &str) -> Option<&AnswerValue> {
        self.0
            .iter()
            .find(|(k, _)| k.as_str() == id)
            .map(|(_, v)| v)
    }
    pub fn iter(&self) -> impl Iterator<Item = (&QuestionId, &AnswerValue)> {
        self.0.iter()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn insert(&mut self, id: QuestionId, v: AnswerValue) {
        self.0.insert(id, v);
    }
    pub fn remove(&mut self, id: &str) {
        self.0.retain(|k, _| k.as_str() != id);
    }

    /// SHA-256 of the canonical JSON form: equal answers give equal hashes.
    pub fn content_hash(&self) -> String {
        self.stored().1
    }

    /// The answers as stored (the API's JSON object) and their content
    /// hash, from one serialisation. BTreeMap keys are sorted and choices
    /// are in definition order, so the document is canonical.
    pub fn stored(&self) -> (String, String) {
        let document = serde_json::to_string(self).unwrap_or_else(|_| "{}".into());
        let hash = hex::encode(Sha256::digest(document.as_bytes()));
        (document, hash)
    }

    /// The answers as a JSON object of the API's shape.
    pub fn to_json(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        }
    }
}

/// Whether `q` applies given the answers so far.
pub fn applies(q: &Question, answers: &Answers) -> bool {
    let Some(cond) = &q.condition else {
        return true;
    };
    match answers.get(cond.question.as_str()) {
        Some(AnswerValue::Choice(c)) => cond.any_of.contains(c),
        Some(AnswerValue::Choices(cs)) => cs.iter().any(|c| cond.any_of.contains(c)),
        _ => false,
    }
}

fn condition_text(c: &Consultation, q: &Question) -> String {
    let Some(cond) = &q.condition else {
        return String::new();
    };
    let labels: Vec<String> = cond.any_of.iter().map(|c| format!("'{c}'")).collect();
    let target = c
        .question(cond.question.as_str())
        .map_or(cond.question.as_str(), |t| t.id.as_str());
    format!("{target} is answered {}", labels.join(" or "))
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
        && !domain.contains('@')
}

/// Parses one raw value by the question's kind. `Ok(None)` means no answer.
fn parse_value(q: &Question, v: &Raw<'_>) -> Result<Option<AnswerValue>, String> {
    match (&q.kind, v) {
        (_, Raw::Null) => Ok(None),
        (QuestionKind::SingleChoice { .. }, Raw::Str(s)) => match q.option(s) {
            Some(o) => Ok(Some(AnswerValue::Choice(o.code.clone()))),
            None if s.is_empty() => Ok(None),
            None => Err(format!("'{s}' is not an option of this question")),
        },
        (QuestionKind::SingleChoice { .. }, other) => Err(format!(
            "expected one option code as a string, got {}",
            other.json_type()
        )),
        (QuestionKind::MultipleChoice { options }, Raw::List(items)) => {
            let mut chosen = vec![false; options.len()];
            let mut problems = Vec::new();
            for item in items {
                match item {
                    Ok(s) => match options.iter().position(|o| o.code.as_str() == s) {
                        Some(i) if chosen[i] => problems.push(format!("'{s}' is chosen twice")),
                        Some(i) => chosen[i] = true,
                        None => problems.push(format!("'{s}' is not an option of this question")),
                    },
                    Err(t) => problems.push(format!("expected option codes as strings, got {t}")),
                }
            }
            if !problems.is_empty() {
                return Err(problems.join("; "));
            }
            let codes: Vec<OptionCode> = options
                .iter()
                .zip(chosen)
                .filter(|(_, c)| *c)
                .map(|(o, _)| o.code.clone())
                .collect();
            Ok((!codes.is_empty()).then_some(AnswerValue::Choices(codes)))
        }
        (QuestionKind::MultipleChoice { .. }, other) => Err(format!(
            "expected a list of option codes, got {}",
            other.json_type()
        )),
        (QuestionKind::FreeText { max_length, format }, Raw::Str(s)) => {
            let text = s.replace("\r\n", "\n");
            if text.trim().is_empty() {
                return Ok(None);
            }
            let n = text.chars().count();
            if n > *max_length {
                return Err(format!(
                    "must be {max_length} characters or fewer (it has {n})"
                ));
            }
            if *format == TextFormat::Email && !is_email(text.trim()) {
                return Err(
                    "enter an email address in the correct format, like name@example.org".into(),
                );
            }
            let text = if *format == TextFormat::Email {
                text.trim().to_owned()
            } else {
                text
            };
            Ok(Some(AnswerValue::Text(text)))
        }
        (QuestionKind::FreeText { .. }, other) => {
            Err(format!("expected text, got {}", other.json_type()))
        }
    }
}

/// Validates the answers to the questions of `scope` (indices of sections;
/// all when `None`), with `prior` holding answers given elsewhere that
/// conditions may refer to. Returns the answers of the scope only.
pub fn validate(
    c: &Consultation,
    raw: &Map<String, Value>,
    scope: Option<&[usize]>,
    prior: &Answers,
    mode: Mode,
) -> Result<Answers, Vec<FieldError>> {
    let mut errors = Vec::new();
    for key in raw.keys() {
        let Some(q) = c.question(key) else {
            errors.push(FieldError::new(key, format!("unknown question '{key}'")));
            continue;
        };
        let in_scope = scope.is_none_or(|s| {
            s.iter().any(|&i| {
                c.sections
                    .get(i)
                    .is_some_and(|sec| sec.questions.iter().any(|x| x.id == q.id))
            })
        });
        if !in_scope {
            errors.push(FieldError::new(
                key,
                "this question belongs to another section",
            ));
        }
    }
    let mut context = prior.clone();
    let mut out = Answers::default();
    // Questions whose answer was refused: their follow-ups cannot be judged.
    let mut refused: Vec<&QuestionId> = Vec::new();
    for (si, section) in c.sections.iter().enumerate() {
        if scope.is_some_and(|s| !s.contains(&si)) {
            continue;
        }
        for q in &section.questions {
            context.remove(q.id.as_str());
            let raw_value = raw.get(q.id.as_str());
            let value = match raw_value.map(|v| parse_value(q, &Raw::from(v))) {
                None => None,
                Some(Ok(v)) => v,
                Some(Err(m)) => {
                    errors.push(FieldError::new(q.id.as_str(), m));
                    refused.push(&q.id);
                    continue;
                }
            };
            if q.condition
                .as_ref()
                .is_some_and(|c| refused.contains(&&c.question))
            {
                refused.push(&q.id);
                continue;
            }
            let applies = applies(q, &context);
            match value {
                Some(_) if !applies && mode == Mode::DropInapplicable => {}
                Some(_) if !applies => errors.push(FieldError::new(
                    q.id.as_str(),
                    format!("this question only applies when {}", condition_text(c, q)),
                )),
                Some(v) => {
                    context.insert(q.id.clone(), v.clone());
                    out.insert(q.id.clone(), v);
                }
                None if applies && q.required => {
                    let message = if raw_value.is_some_and(Value::is_null) {
                        "an answer is required, not null"
                    } else {
                        "an answer is required"
                    };
                    errors.push(FieldError::new(q.id.as_str(), message));
                }
                None => {}
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Validates a complete response, as the JSON API receives it.
pub fn validate_response(
    c: &Consultation,
    raw: &Map<String, Value>,
) -> Result<Answers, Vec<FieldError>> {
    validate(c, raw, None, &Answers::default(), Mode::Strict)
}

#[cfg(test)]
#[path = "answers_tests.rs"]
mod tests;

/// Rebuilds answers from stored JSON (a draft), keeping only what still
/// parses under the current definition.
pub fn from_json_lenient(c: &Consultation, raw: &Map<String, Value>) -> Answers {
    lenient(c, |id| raw.get(id).map(Raw::from))
}

/// A stored document (the API's JSON object, as text) read as answers
/// under `c`, leniently (see `from_json_lenient`), without building JSON
/// values on the way.
pub fn from_document(c: &Consultation, text: &str) -> Answers {
    let Some(entries) = super::raw::document(text) else {
        return Answers::default();
    };
    lenient(c, |id| {
        entries
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, v)| v.clone())
    })
}

fn lenient<'a>(c: &Consultation, get: impl Fn(&str) -> Option<Raw<'a>>) -> Answers {
    let mut out = Answers::default();
    for q in c.questions() {
        let Some(v) = get(q.id.as_str()) else {
            continue;
        };
        // Versions stored as answer rows came back with one chosen option
        // as a plain string.
        let parsed = match (&q.kind, v) {
            (QuestionKind::MultipleChoice { .. }, Raw::Str(s)) => {
                parse_value(q, &Raw::List(vec![Ok(s)]))
            }
            (_, v) => parse_value(q, &v),
        };
        if let Ok(Some(v)) = parsed {
            out.insert(q.id.clone(), v);
        }
    }
    out
}
