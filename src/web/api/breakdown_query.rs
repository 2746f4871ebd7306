//! The query string of breakdown and chart requests:
//! `question=ID&by=ID&filter=ID:code[,code]&from=YYYY-MM-DD&to=YYYY-MM-DD`,
//! `filter` repeatable.
use crate::analysis::{RawSpec, Spec};
use crate::catalogue::Loaded;
use crate::domain::FieldError;
use crate::web::error::ApiError;

/// Reads the parameters; `question` may come from the path instead. The
/// parameters named in `theirs` belong to the caller and are handed back
/// as they came, in order; any other unknown parameter is an error.
pub fn parse(
    query: &str,
    question: Option<&str>,
    loaded: &Loaded,
    theirs: &[&str],
) -> Result<(Spec, Vec<(String, String)>), ApiError> {
    let mut handed_back = Vec::new();
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
            other if theirs.contains(&other) => handed_back.push((other.to_owned(), value)),
            other => errors.push(FieldError::new(other, "unknown parameter")),
        }
    }
    let spec = Spec::parse(&loaded.definition, &raw);
    match spec {
        Ok(spec) if errors.is_empty() => Ok((spec, handed_back)),
        Ok(_) => Err(ApiError::Invalid(errors)),
        Err(more) => {
            errors.extend(more);
            Err(ApiError::Invalid(errors))
        }
    }
}
