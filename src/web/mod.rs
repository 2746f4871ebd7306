//! HTTP: thin handlers that parse, call the layers below, and render.
pub mod api;
pub mod body;
pub mod error;

use actix_web::web::ServiceConfig;
use std::path::Path;

/// The whole route tree.
pub fn configure(cfg: &mut ServiceConfig, frontend: &Path) {
    cfg.service(api::list_consultations::list_consultations)
        .service(api::get_consultation::get_consultation)
        .service(api::submit_response::submit_response)
        .service(api::openapi::openapi_json);
    let _ = frontend;
}
