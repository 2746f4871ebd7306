use super::{codable, response_in_path};
use crate::web::AppState;
use crate::web::auth::{self as auth, Need};
use crate::web::error::{ApiError, ErrorBody};
use actix_web::web::{Data, Path, block};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

/// An answer's codings, newest first: who coded it when, with which
/// themes, and why each earlier one ended.
#[utoipa::path(get, path = "/api/consultations/{slug}/questions/{question}/answers/{response}/history", tag = "coding",
    security(("bearer" = []), ("session" = [])),
    params(
        ("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working"),
        ("question" = String, Path, description = "A free-text question id", example = "q3"),
        ("response" = String, Path, description = "The response's id")),
    responses(
        (status = 200, description = "{history: [{coded_by, coded_at, reason, themes, current, ended_because}]}"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn coding_history(
    state: Data<AppState>,
    path: Path<(String, String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    auth::api(&state, &req, Need::Staff).await?;
    let (slug, question, response) = path.into_inner();
    let loaded = state.consultation(&slug)?;
    let q = codable(&loaded, &question)?;
    let response = response_in_path(&response)?;
    let (store, id) = (state.store.clone(), loaded.stored.id);
    let history = block(move || store.coding_history(id, response, &q.id)).await??;
    let entries: Vec<_> = history
        .iter()
        .map(|h| {
            json!({
                "coded_by": h.coded_by,
                "coded_at": h.coded_at.and_utc().to_rfc3339(),
                "reason": h.reason,
                "themes": h.themes,
                "current": h.current,
                "ended_because": h.ended_because,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "history": entries })))
}
