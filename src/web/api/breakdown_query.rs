//! The query string of breakdown and chart requests:
//! `question=ID&by=ID&filter=ID:code[,code]&from=YYYY-MM-DD&to=YYYY-MM-DD`,
//! `filter` repeatable.
use crate::analysis::{RawSpec, Spec};
use crate::catalogue::Loaded;
use crate::domain::FieldError;
use crate::web::error::ApiError;

/// Reads the parameters; `question` may come from the path instead.
pub fn parse(query: &str, question: Option<&str>, loaded: &Loaded) -> Result<Spec, ApiError> {
    let mut raw = RawSpec {
        question: question.map(str::to_owned),
        ..RawSpec::default()
    };
    let mut errors = Vec::new();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = value.into_owned();
        match key.as_ref() {
            "question" if question.is_none() => raw.question = Some(value),
            "by" => raw.by = Some(value),
            "filter" => raw.filters.push(value),
            "from" => raw.from = Some(value),
            "to" => raw.to = Some(value),
            other => errors.push(FieldError::new(other, "unknown parameter")),
        }
    }
    let spec = Spec::parse(&loaded.definition, &raw);
    match spec {
        Ok(spec) if errors.is_empty() => Ok(spec),
        Ok(_) => Err(ApiError::Invalid(errors)),
        Err(more) => {
            errors.extend(more);
            Err(ApiError::Invalid(errors))
        }
    }
}
