//! JSON API errors and their HTTP statuses, in one place.
use crate::domain::FieldError;
use crate::storage::StorageError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not JSON at all.
    #[error("{0}")]
    BadBody(String),
    #[error("the request has {} problem(s)", .0.len())]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// The consultation exists but does not accept responses now.
    #[error("{0}")]
    Closed(String),
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    /// A failure on our side: logged with its causes, never sent.
    #[error("internal error")]
    Internal(#[source] Cause),
    /// No valid API token or session.
    #[error("sign in: send a valid API token as Authorization: Bearer")]
    Unauthorized,
    #[error("your account's role does not allow this")]
    Forbidden,
    /// A signed-in browser's request that did not come from this site.
    #[error("a signed-in browser may do this only from this site's own pages")]
    CrossSite,
    #[error("this consultation takes responses by invitation only: use your invitation link")]
    InviteOnly,
    /// Too many requests from this address: try again after this many seconds.
    #[error("too many requests from this address; try again in {0} seconds")]
    TooMany(u64),
    #[error("send the body as JSON, with Content-Type: application/json")]
    UnsupportedMediaType,
    #[error("no such route: {0}")]
    NoRoute(String),
    /// The route exists, but not with this method; `Allow` lists those it has.
    #[error("{0} is not allowed here")]
    MethodNotAllowed(String),
    /// Nothing can be stored for now (the disk is full).
    #[error("the service cannot store answers right now; please try again in a few minutes")]
    Unavailable,
}

/// What went wrong inside, kept for the log.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

impl ApiError {
    pub fn internal(e: impl Into<Cause>) -> ApiError {
        ApiError::Internal(e.into())
    }
}

/// `e` and its causes, for the log. A cause whose text its error already
/// shows (`"database error: {0}"`) is not repeated.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let part = cause.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = cause.source();
    }
    text
}

/// How long a client is asked to wait when nothing can be stored.
pub const RETRY_UNAVAILABLE_SECS: u64 = 120;

/// Every error answer: a list of problems, each naming its field.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub errors: Vec<ErrorItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorItem {
    /// The question id, request field (`submission_id`, `answers`) or `body`.
    pub field: String,
    pub message: String,
}

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::SubmissionConflict => ApiError::Conflict(e.to_string()),
            StorageError::Withdrawn => ApiError::NotFound(e.to_string()),
            // Reported once by storage; not logged again per request.
            StorageError::Full(_) => ApiError::Unavailable,
            other => ApiError::internal(other),
        }
    }
}

impl From<crate::analysis::AnalysisError> for ApiError {
    fn from(e: crate::analysis::AnalysisError) -> Self {
        match e {
            crate::analysis::AnalysisError::Storage(s) => s.into(),
            other => ApiError::internal(other),
        }
    }
}

impl From<crate::web::UnknownConsultation> for ApiError {
    fn from(e: crate::web::UnknownConsultation) -> Self {
        ApiError::NotFound(e.to_string())
    }
}

impl From<crate::export::ExportError> for ApiError {
    fn from(e: crate::export::ExportError) -> Self {
        match e {
            crate::export::ExportError::Storage(s) => s.into(),
            layout => ApiError::internal(layout),
        }
    }
}

impl From<crate::web::SnapshotError> for ApiError {
    fn from(e: crate::web::SnapshotError) -> Self {
        match e {
            crate::web::SnapshotError::Analysis(a) => a.into(),
            crate::web::SnapshotError::Blocking(b) => b.into(),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::internal(e)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadBody(_) => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) | ApiError::Closed(_) => StatusCode::CONFLICT,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::CrossSite | ApiError::InviteOnly => {
                StatusCode::FORBIDDEN
            }
            ApiError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::NoRoute(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let item = |field: &str, message: String| ErrorItem {
            field: field.into(),
            message,
        };
        let errors = match self {
            ApiError::Invalid(list) => list
                .iter()
                .map(|e| item(&e.field, e.message.clone()))
                .collect(),
            ApiError::BadBody(m) => vec![item("body", m.clone())],
            ApiError::TooLarge(_) => vec![item("body", self.to_string())],
            ApiError::NotFound(m) => vec![item("slug", m.clone())],
            ApiError::Conflict(m) => vec![item("submission_id", m.clone())],
            ApiError::Closed(m) => vec![item("slug", m.clone())],
            ApiError::Internal(cause) => {
                // The cause may hold SQL or paths: log it, never send it.
                tracing::error!(error = %chain(cause.as_ref()), "request failed");
                vec![item(
                    "body",
                    "something went wrong on our side; please try again".into(),
                )]
            }
            ApiError::Unauthorized => vec![item("authorization", self.to_string())],
            ApiError::Forbidden => vec![item("authorization", self.to_string())],
            ApiError::CrossSite => vec![item("origin", self.to_string())],
            ApiError::TooMany(_) => vec![item("body", self.to_string())],
            ApiError::InviteOnly => vec![item("slug", self.to_string())],
            ApiError::UnsupportedMediaType => vec![item("content-type", self.to_string())],
            ApiError::NoRoute(_) => vec![item("path", self.to_string())],
            ApiError::MethodNotAllowed(_) => vec![item("method", self.to_string())],
            ApiError::Unavailable => vec![item("body", self.to_string())],
        };
        let mut response = HttpResponse::build(self.status_code());
        match self {
            ApiError::Unauthorized => {
                response.insert_header((actix_web::http::header::WWW_AUTHENTICATE, "Bearer"));
            }
            ApiError::TooMany(seconds) => {
                response.insert_header((actix_web::http::header::RETRY_AFTER, seconds.to_string()));
            }
            ApiError::Unavailable => {
                response.insert_header((
                    actix_web::http::header::RETRY_AFTER,
                    RETRY_UNAVAILABLE_SECS.to_string(),
                ));
            }
            _ => {}
        }
        response.json(ErrorBody { errors })
    }
}

#[cfg(test)]
mod tests {
    use super::{ApiError, chain};
    use crate::storage::StorageError;

    #[test]
    fn the_log_gets_every_cause_once() {
        let io = std::io::Error::other("disk on fire");
        let e = ApiError::from(StorageError::WriterStart(io));
        assert_eq!(
            chain(&e),
            "internal error: could not start the submission writer: disk on fire"
        );
        let query = StorageError::Query(diesel::result::Error::NotFound);
        assert_eq!(
            chain(&ApiError::from(query)),
            "internal error: database error: Record not found"
        );
    }
}
