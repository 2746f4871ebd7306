//! Errors on HTML pages: a readable page with the right status.
use crate::storage::StorageError;
use crate::web::error::{Cause, chain};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("Page not found")]
    NotFound,
    #[error("This page cannot be used that way")]
    MethodNotAllowed,
    #[error("This consultation is closed")]
    Closed,
    #[error("Your form could not be checked")]
    Csrf,
    #[error("Your answers are too long to send")]
    TooLarge,
    #[error("Bad request: {0}")]
    BadRequest(String),
    /// A failure on our side: logged with its causes, never shown.
    #[error("Sorry, there is a problem with the service")]
    Internal(#[source] Cause),
    /// Signed out: go to the sign-in page, then back to this path.
    #[error("Sign in")]
    SignIn(String),
    #[error("You cannot see this page")]
    Forbidden,
    #[error("Too many attempts")]
    TooMany(u64),
    #[error("This consultation is by invitation only")]
    InviteOnly,
    #[error("This invitation has already been used")]
    InvitationUsed,
    /// The response behind a private link was withdrawn meanwhile.
    #[error("This response has been withdrawn")]
    Withdrawn,
    /// Nothing can be stored for now (the disk is full).
    #[error("Sorry, we cannot store answers right now")]
    Unavailable,
}

impl PageError {
    pub fn internal(e: impl Into<Cause>) -> PageError {
        PageError::Internal(e.into())
    }
}

#[derive(Template)]
#[template(path = "message.html", config = "frontend/askama.toml")]
struct MessagePage<'a> {
    title: &'a str,
    body: &'a str,
}

impl From<StorageError> for PageError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Withdrawn => PageError::Withdrawn,
            // Reported once by storage; not logged again per request.
            StorageError::Full(_) => PageError::Unavailable,
            other => PageError::internal(other),
        }
    }
}

impl From<crate::web::UnknownConsultation> for PageError {
    fn from(_: crate::web::UnknownConsultation) -> Self {
        PageError::NotFound
    }
}

impl From<crate::export::ExportError> for PageError {
    fn from(e: crate::export::ExportError) -> Self {
        match e {
            crate::export::ExportError::Storage(s) => s.into(),
            layout => PageError::internal(layout),
        }
    }
}

impl From<crate::web::SnapshotError> for PageError {
    fn from(e: crate::web::SnapshotError) -> Self {
        use crate::analysis::AnalysisError;
        match e {
            crate::web::SnapshotError::Analysis(AnalysisError::Storage(s)) => s.into(),
            other => PageError::internal(other),
        }
    }
}

impl From<actix_web::error::BlockingError> for PageError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        PageError::internal(e)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            PageError::Closed => StatusCode::CONFLICT,
            PageError::Csrf => StatusCode::FORBIDDEN,
            PageError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            PageError::BadRequest(_) => StatusCode::BAD_REQUEST,
            PageError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            PageError::SignIn(_) => StatusCode::SEE_OTHER,
            PageError::Forbidden => StatusCode::FORBIDDEN,
            PageError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            PageError::InviteOnly => StatusCode::FORBIDDEN,
            PageError::InvitationUsed => StatusCode::CONFLICT,
            PageError::Withdrawn => StatusCode::GONE,
            PageError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let PageError::SignIn(next) = self {
            let location = format!(
                "/sign-in?next={}",
                form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
            );
            return HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, location))
                .finish();
        }
        let body = match self {
            PageError::SignIn(_) => "Sign in to see this page.",
            PageError::Forbidden => {
                "Your account does not give access to this page. Ask an administrator if you need it."
            }
            PageError::InviteOnly => {
                "Only members who were sent an invitation link can respond. Use the link in your invitation."
            }
            PageError::InvitationUsed => {
                "Each invitation starts one response. To see or change yours, use the private link you were given when you started."
            }
            PageError::TooMany(_) => {
                "There have been too many attempts from your connection. Wait a minute, then try again. Your saved answers are kept."
            }
            PageError::NotFound => {
                "If you typed the web address, check it is correct. If you followed a private link, copy the whole link again."
            }
            PageError::MethodNotAllowed => {
                "This address does not take that kind of request. Go back and use the page's links and buttons."
            }
            PageError::Closed => {
                "This consultation is not accepting responses at the moment. Answers you saved are kept."
            }
            PageError::Csrf => {
                "We could not confirm that this form came from this website. Go back, reload the page and try again. Your saved answers are kept."
            }
            PageError::TooLarge => {
                "Your answers are longer than we can accept in one go. Shorten your text answers and try again."
            }
            PageError::BadRequest(_) => {
                "We could not read what your browser sent. Go back and try again."
            }
            PageError::Withdrawn => {
                "The response this private link belonged to has been withdrawn and its answers deleted, so it cannot be changed. Nothing you sent was stored."
            }
            PageError::Unavailable => {
                "The service cannot store answers at the moment. What you sent just now was not stored: try again in a few minutes. Answers you saved or submitted before are kept."
            }
            PageError::Internal(cause) => {
                tracing::error!(error = %chain(cause.as_ref()), "page failed");
                "Try again later. Your saved answers are kept."
            }
        };
        let title = self.to_string();
        let html = MessagePage {
            title: &title,
            body,
        }
        .render()
        .unwrap_or_else(|_| {
            "<!doctype html><title>Error</title><p>Something went wrong.</p>".into()
        });
        let mut response = HttpResponse::build(self.status_code());
        let retry_after = match self {
            PageError::TooMany(seconds) => Some(*seconds),
            PageError::Unavailable => Some(crate::web::error::RETRY_UNAVAILABLE_SECS),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            response.insert_header((actix_web::http::header::RETRY_AFTER, seconds.to_string()));
        }
        response.content_type("text/html; charset=utf-8").body(html)
    }
}
