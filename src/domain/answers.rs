//! Checking a member's answers against a consultation definition. The JSON
//! API and the web form share these rules; only what happens to an answer
//! whose condition is not met differs (`Mode`).
use super::check::{self, check};
use super::definition::{Consultation, Question};
use super::ids::{OptionCode, QuestionId};
use super::raw::{DocumentReader, Raw};
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
        self.0.get(id)
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
        self.0.remove(id);
    }

    /// SHA-256 of the canonical JSON form: equal answers give equal hashes.
    pub fn content_hash(&self) -> Result<String, serde_json::Error> {
        Ok(self.stored()?.1)
    }

    /// The answers as stored (the API's JSON object) and their content
    /// hash, from one serialisation. BTreeMap keys are sorted and choices
    /// are in definition order, so the document is canonical.
    pub fn stored(&self) -> Result<(String, String), serde_json::Error> {
        let document = serde_json::to_string(self)?;
        let hash = hex::encode(Sha256::digest(document.as_bytes()));
        Ok((document, hash))
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
    let Some(target) = c.question(cond.question.as_str()) else {
        let codes: Vec<&str> = cond.any_of.iter().map(|o| o.as_str()).collect();
        return format!(
            "{} is answered {}",
            cond.question.as_str(),
            codes.join(" or ")
        );
    };
    // Labels and text as the member saw them; the error's field names the
    // question for the API.
    let labels: Vec<String> = cond
        .any_of
        .iter()
        .map(|code| {
            let label = target
                .options()
                .iter()
                .find(|o| &o.code == code)
                .map_or(code.as_str(), |o| o.label.as_str());
            format!("\"{label}\"")
        })
        .collect();
    format!("\"{}\" is answered {}", target.text, labels.join(" or "))
}

/// Parses one raw value by the question's kind. `Ok(None)` means no answer.
fn parse_value(q: &Question, v: &Raw<'_>) -> Result<Option<AnswerValue>, String> {
    Ok(check(q, v)?.and_then(|c| c.into_value(q)))
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
    lenient(
        c,
        c.questions().map(|q| raw.get(q.id.as_str()).map(Raw::from)),
    )
}

/// A stored document (the API's JSON object, as text) read as answers
/// under `c`, leniently (see `from_json_lenient`), without building JSON
/// values on the way.
pub fn from_document(c: &Consultation, text: &str) -> Answers {
    lenient(c, DocumentReader::new(c).read(text))
}

/// `values` holds one raw value per question, in definition order.
fn lenient<'a>(c: &Consultation, values: impl IntoIterator<Item = Option<Raw<'a>>>) -> Answers {
    let mut out = Answers::default();
    for (q, v) in c.questions().zip(values) {
        let value = v.and_then(|v| check::lenient(q, &v).and_then(|c| c.into_value(q)));
        if let Some(value) = value {
            out.insert(q.id.clone(), value);
        }
    }
    out
}
