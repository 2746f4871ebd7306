//! HTTP: thin handlers that parse, call the layers below, and render.
pub mod api;
pub mod auth;
pub mod body;
pub mod client_address;
pub mod error;
pub mod limits;
pub mod local_path;
pub mod pages;
pub mod request_log;
pub mod research;
pub mod schedule;
pub mod site;
pub mod staff;
pub mod streamed;

use actix_files::Files;
use actix_web::web::ServiceConfig;
use std::path::Path;

/// The whole route tree.
pub fn configure(cfg: &mut ServiceConfig, frontend: &Path) {
    cfg.service(api::list_consultations::list_consultations)
        .service(api::get_consultation::get_consultation)
        .service(api::get_results::get_results)
        .service(api::get_breakdown::get_breakdown)
        .service(api::get_breakdown::get_breakdown_csv)
        .service(api::get_headlines::get_headlines)
        .service(api::get_export::get_disclosure)
        .service(api::get_export::get_export)
        .service(api::set_schedule::open_consultation)
        .service(api::set_schedule::close_consultation)
        .service(api::get_chart::get_chart)
        .service(api::submit_response::submit_response)
        .service(api::openapi::openapi_json);
    pages::configure(cfg);
    staff::configure(cfg);
    research::configure(cfg);
    cfg.service(Files::new(
        "/assets",
        frontend.join("node_modules/nhsuk-frontend/dist/nhsuk"),
    ))
    .service(Files::new("/static", frontend.join("static")));
}

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
