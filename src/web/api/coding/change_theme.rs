use super::create_theme::theme_fields;
use super::{ThemeBody, codable, refused, theme_in_path};
use crate::storage::ThemeChange;
use crate::web::AppState;
use crate::web::api::json_body;
use crate::web::auth::{self as auth, Need};
use crate::web::error::{ApiError, ErrorBody};
use actix_web::web::{Data, Path, Payload, block};
use actix_web::{HttpRequest, HttpResponse};

/// Renames or re-describes a theme: send `label`, `description` or both.
#[utoipa::path(patch, path = "/api/consultations/{slug}/questions/{question}/themes/{id}", tag = "coding",
    security(("bearer" = []), ("session" = [])),
    params(
        ("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working"),
        ("question" = String, Path, description = "A free-text question id", example = "q3"),
        ("id" = u32, Path, description = "The theme's id", example = 1)),
    request_body(content = inline(serde_json::Value), description = "{label?, description?}", content_type = "application/json"),
    responses(
        (status = 200, description = "The theme as it now is", body = ThemeBody),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Another theme of the question has this label", body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_theme(
    state: Data<AppState>,
    path: Path<(String, String, String)>,
    req: HttpRequest,
    payload: Payload,
) -> Result<HttpResponse, ApiError> {
    let user = auth::api(&state, &req, Need::Staff).await?;
    let (slug, question, theme) = path.into_inner();
    let loaded = state.consultation(&slug)?;
    let q = codable(&loaded, &question)?;
    let theme = theme_in_path(&theme)?;
    let body = json_body::read(&req, payload).await?;
    let (label, description) = theme_fields(&body, false)?;
    let (store, id) = (state.store.clone(), loaded.stored.id);
    let change = ThemeChange { label, description };
    let changed = block(move || store.change_theme(id, &q.id, theme, change, &user.id))
        .await?
        .map_err(|e| refused(e, None))?;
    Ok(HttpResponse::Ok().json(ThemeBody::new(&changed, None)))
}
