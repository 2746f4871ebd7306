//! HTTP: thin handlers that parse, call the layers below, and render.
pub mod api;
pub mod auth;
pub mod body;
pub mod client_address;
pub mod error;
pub mod json;
pub mod limits;
pub mod local_path;
pub mod pages;
pub mod request_log;
pub mod research;
pub mod routes;
pub mod schedule;
pub mod site;
pub mod staff;
mod state;
pub mod streamed;

pub use routes::{configure, method_not_allowed};
pub use state::{AppState, SnapshotError, UnknownConsultation, snapshot};

/// Headers on every response: no inline script or style, no framing, no
/// MIME sniffing, no full referrer sent elsewhere. Fonts may also come from
/// assets.nhs.uk, where the NHS.UK design system's stylesheet loads
/// Frutiger from.
pub fn security_headers() -> actix_web::middleware::DefaultHeaders {
    actix_web::middleware::DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             font-src 'self' https://assets.nhs.uk; object-src 'none'; base-uri 'none'; form-action 'self'; \
             frame-ancestors 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
}
