//! Reading a JSON object body, the same way for every route that takes
//! one: JSON only (415 otherwise), at most `BODY_LIMIT` bytes, strict about
//! repeated keys; syntax problems are 400, the rest name their field.
use crate::domain::FieldError;
use crate::web::body::{BODY_LIMIT, BodyError, read_limited};
use crate::web::error::ApiError;
use crate::web::json::{StrictError, parse_strict};
use actix_web::HttpRequest;
use actix_web::web::Payload;
use serde_json::{Map, Value};

/// `application/json`, or a `+json` type, with any parameters.
pub fn is_json(req: &HttpRequest) -> bool {
    let Some(Ok(value)) = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .map(|v| v.to_str())
    else {
        return false;
    };
    match value.parse::<actix_web::mime::Mime>() {
        Ok(m) => {
            m.type_() == actix_web::mime::APPLICATION
                && (m.subtype() == actix_web::mime::JSON
                    || m.suffix() == Some(actix_web::mime::JSON))
        }
        Err(_) => false,
    }
}

/// The body, read whole, once its type is known to be JSON.
pub async fn read(req: &HttpRequest, payload: Payload) -> Result<actix_web::web::Bytes, ApiError> {
    if !is_json(req) {
        return Err(ApiError::UnsupportedMediaType);
    }
    read_limited(payload, BODY_LIMIT)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge => ApiError::TooLarge(BODY_LIMIT),
            BodyError::Read(m) => ApiError::BadBody(m),
        })
}

/// The body as a JSON object.
pub fn object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|e| ApiError::BadBody(format!("the body is not valid UTF-8: {e}")))?;
    if text.trim().is_empty() {
        return Err(ApiError::BadBody(
            "the body is empty; send a JSON object".into(),
        ));
    }
    let value = match parse_strict(text) {
        Ok(v) => v,
        Err(StrictError::Syntax(e)) => {
            return Err(ApiError::BadBody(format!(
                "the body is not valid JSON: {e}"
            )));
        }
        Err(StrictError::Duplicates(paths)) => {
            return Err(ApiError::Invalid(
                paths.iter().map(|p| duplicate(p)).collect(),
            ));
        }
    };
    match value {
        Value::Object(obj) => Ok(obj),
        _ => Err(ApiError::Invalid(vec![FieldError::new(
            "body",
            "expected a JSON object",
        )])),
    }
}

/// A key sent twice, named by the question it answers where it is one.
fn duplicate(path: &[String]) -> FieldError {
    let field = match path {
        [top, question, ..] if top == "answers" => question,
        [top, ..] => top,
        [] => "body",
    };
    FieldError::new(
        field,
        format!(
            "'{}' is sent more than once; send each key once",
            path.join("/")
        ),
    )
}

/// Errors for every key not in `known`.
pub fn unknown_fields(obj: &Map<String, Value>, known: &[&str]) -> Vec<FieldError> {
    obj.keys()
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| FieldError::new(k.as_str(), format!("unknown field '{k}'")))
        .collect()
}
