use super::{ThemeBody, codable};
use crate::web::AppState;
use crate::web::auth::{self as auth, Need};
use crate::web::error::{ApiError, ErrorBody};
use actix_web::web::{Data, Path, block};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

/// A free-text question's codebook: its themes, each with how many
/// answers carry it now.
#[utoipa::path(get, path = "/api/consultations/{slug}/questions/{question}/themes", tag = "coding",
    security(("bearer" = []), ("session" = [])),
    params(
        ("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working"),
        ("question" = String, Path, description = "A free-text question id", example = "q3")),
    responses(
        (status = 200, description = "{themes: [{id, label, description, count}]}"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_themes(
    state: Data<AppState>,
    path: Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    auth::api(&state, &req, Need::Staff).await?;
    let (slug, question) = path.into_inner();
    let loaded = state.consultation(&slug)?;
    let q = codable(&loaded, &question)?;
    let store = state.store.clone();
    let id = loaded.stored.id;
    let themes = block(move || store.themes_counted(id, &q.id)).await??;
    let body: Vec<ThemeBody> = themes
        .iter()
        .map(|t| ThemeBody::new(&t.theme, Some(t.count)))
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "themes": body })))
}
