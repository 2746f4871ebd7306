//! Reading, coding and counting free-text answers: the codebook of each
//! free-text question, the coding of its answers, and quotes.
pub mod change_theme;
pub mod code_answer;
pub mod coding_history;
pub mod create_theme;
pub mod delete_theme;
pub mod list_answers;
pub mod list_themes;
pub mod mark_quote;
pub mod merge_themes;

use crate::catalogue::Loaded;
use crate::domain::coding::{Assignment, Theme, ThemeId};
use crate::domain::{FieldError, Question};
use crate::storage::StorageError;
use crate::web::error::ApiError;
use serde::Serialize;
use utoipa::ToSchema;

/// The free-text question `id` of the consultation: unknown is 404, a
/// question that is not coded (closed, or a personal field) 422.
pub fn codable(loaded: &Loaded, id: &str) -> Result<Question, ApiError> {
    let q = loaded
        .definition
        .question(id)
        .ok_or_else(|| ApiError::NotFound(format!("no question '{id}' in this consultation")))?;
    if !q.is_codable() {
        return Err(ApiError::Invalid(vec![FieldError::new(
            "question",
            format!("'{id}' is not a free-text question whose answers are coded"),
        )]));
    }
    Ok(q.clone())
}

/// A theme id from the path: anything else is no such theme.
pub fn theme_in_path(text: &str) -> Result<ThemeId, ApiError> {
    ThemeId::parse(text).map_err(ApiError::NotFound)
}

/// A response id from the path: anything else is no such answer.
pub fn response_in_path(text: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(text)
        .map_err(|_| ApiError::NotFound(format!("no answer of response '{text}'")))
}

/// A theme as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThemeBody {
    pub id: u32,
    pub label: String,
    pub description: String,
    /// Answers that carry it now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
}

impl ThemeBody {
    pub fn new(t: &Theme, count: Option<u64>) -> ThemeBody {
        ThemeBody {
            id: t.id.get(),
            label: t.label.as_str().to_owned(),
            description: t.description.as_str().to_owned(),
            count,
        }
    }
}

/// One answer's themes.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodingBody {
    pub response: uuid::Uuid,
    pub question: String,
    pub themes: Vec<Assignment>,
}

/// Storage's refusals of a codebook or coding change, in the API's words;
/// `themes_field` names the request field a missing theme came from.
pub fn refused(e: StorageError, themes_field: Option<&str>) -> ApiError {
    match e {
        StorageError::ThemeLabelTaken(_) => ApiError::Conflict(e.to_string()),
        StorageError::NoTheme(_) => match themes_field {
            Some(field) => ApiError::Invalid(vec![FieldError::new(field, e.to_string())]),
            None => ApiError::NotFound(e.to_string()),
        },
        StorageError::MergeIntoItself(_) => {
            ApiError::Invalid(vec![FieldError::new("into", e.to_string())])
        }
        StorageError::NoAnswer => {
            ApiError::NotFound("this response has no answer to this question".into())
        }
        other => other.into(),
    }
}
