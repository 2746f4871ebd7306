use crate::storage::AuditEntry;
use crate::web::AppState;
use crate::web::auth::{self as auth, Need};
use crate::web::pages::PageError;
use crate::web::pages::render::page;
use actix_web::http::StatusCode;
use actix_web::web::{Data, block};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

#[derive(Template)]
#[template(path = "staff/audit.html", config = "frontend/askama.toml")]
struct Audit {
    entries: Vec<AuditEntry>,
}

/// Who reached identified data or changed a consultation, newest first
/// (administrators only).
pub async fn audit(state: Data<AppState>, req: HttpRequest) -> Result<HttpResponse, PageError> {
    auth::page(&state, &req, Need::Admin).await?;
    let store = state.store.clone();
    let entries = block(move || store.audit_entries(500)).await??;
    page(&Audit { entries }, StatusCode::OK, None)
}
