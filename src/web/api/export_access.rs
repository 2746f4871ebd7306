//! Who may download what. Anonymised exports are for researchers (and
//! staff); the identified export for the consultation's administrators.
//! Every export route asks here, so that accounts (a later change) guard
//! them all at once; until then the service runs without sign-in, as the
//! survey and results do.
use crate::web::error::ApiError;
use actix_web::HttpRequest;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Anonymised,
    Identified,
}

pub fn check(_req: &HttpRequest, access: Access) -> Result<Access, ApiError> {
    Ok(access)
}
