//! Reading urlencoded form bodies, where a checkbox group repeats its name.
use super::csrf;
use super::error::PageError;
use crate::domain::{Consultation, QuestionKind};
use crate::web::body::{BODY_LIMIT, BodyError, read_limited};
use actix_web::HttpRequest;
use actix_web::web::Payload;
use serde_json::{Map, Value};

pub struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// Reads the body and checks the CSRF token before anything else.
    pub async fn read(req: &HttpRequest, payload: Payload) -> Result<Form, PageError> {
        let body = read_limited(payload, BODY_LIMIT)
            .await
            .map_err(|e| match e {
                BodyError::TooLarge => PageError::TooLarge,
                BodyError::Read(m) => PageError::BadRequest(m),
            })?;
        let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
        let form = Form { pairs };
        if !csrf::verify(req, form.get(csrf::FIELD)) {
            return Err(PageError::Csrf);
        }
        Ok(form)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The answers to one section's questions, in the JSON API's shape, so
    /// both channels share one set of validation rules.
    pub fn section_answers(&self, c: &Consultation, section: usize) -> Map<String, Value> {
        let mut raw = Map::new();
        let Some(s) = c.sections.get(section) else {
            return raw;
        };
        for q in &s.questions {
            let id = q.id.as_str();
            let value = match q.kind {
                QuestionKind::MultipleChoice { .. } => Value::Array(
                    self.all(id)
                        .into_iter()
                        .map(|v| Value::String(v.into()))
                        .collect(),
                ),
                _ => match self.get(id) {
                    Some(v) => Value::String(v.into()),
                    None => continue,
                },
            };
            raw.insert(id.into(), value);
        }
        raw
    }
}
