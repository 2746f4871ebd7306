//! Parsing a submission body: JSON syntax problems are 400, everything
//! else is collected into one list of field errors (422).
use super::json_body;
use crate::domain::Consultation;
use crate::domain::answers::{Answers, FieldError, validate_response};
use crate::web::error::ApiError;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// The body of `POST /api/consultations/{slug}/responses`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionRequest {
    /// Optional client-chosen id making retries safe: the same id with the
    /// same answers is stored once.
    pub submission_id: Option<Uuid>,
    /// Question id → answer. The question ids and option codes are the
    /// consultation's own (`GET /api/consultations/{slug}` lists them), so
    /// this document cannot name them. `null` leaves an optional question
    /// unanswered.
    #[schema(value_type = std::collections::BTreeMap<String, AnswerValue>)]
    pub answers: serde_json::Map<String, Value>,
}

/// One answer: an option code (single choice) or text (free text), or a
/// list of option codes (multiple choice).
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum AnswerValue {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, PartialEq)]
pub struct Submission {
    pub submission_id: Option<Uuid>,
    pub answers: Answers,
}

pub fn parse(body: &[u8], c: &Consultation) -> Result<Submission, ApiError> {
    let obj = json_body::object(body).map_err(|e| match e {
        ApiError::Invalid(mut errors) if errors.len() == 1 && errors[0].field == "body" => {
            errors[0].message = "expected a JSON object with \"answers\"".into();
            ApiError::Invalid(errors)
        }
        other => other,
    })?;
    let mut errors = Vec::new();
    let mut submission_id = None;
    let mut answers = None;
    for (key, v) in &obj {
        match (key.as_str(), v) {
            ("submission_id", Value::Null) => {}
            ("submission_id", Value::String(s)) => match Uuid::parse_str(s) {
                Ok(u) => submission_id = Some(u),
                Err(_) => errors.push(FieldError::new(
                    "submission_id",
                    format!("'{s}' is not a UUID"),
                )),
            },
            ("submission_id", _) => errors.push(FieldError::new(
                "submission_id",
                "expected a UUID as a string",
            )),
            ("answers", Value::Object(m)) => answers = Some(m),
            ("answers", _) => errors.push(FieldError::new(
                "answers",
                "expected an object of question id to answer",
            )),
            (other, _) => errors.push(FieldError::new(other, format!("unknown field '{other}'"))),
        }
    }
    if !obj.contains_key("answers") {
        errors.push(FieldError::new("answers", "is required"));
    }
    let validated = answers.map(|m| validate_response(c, m));
    match validated {
        Some(Ok(a)) if errors.is_empty() => Ok(Submission {
            submission_id,
            answers: a,
        }),
        Some(Err(mut e)) => {
            errors.append(&mut e);
            Err(ApiError::Invalid(errors))
        }
        _ => Err(ApiError::Invalid(errors)),
    }
}
