use super::{codable, refused, theme_in_path};
use crate::web::AppState;
use crate::web::auth::{self as auth, Need};
use crate::web::error::{ApiError, ErrorBody};
use actix_web::web::{Data, Path, block};
use actix_web::{HttpRequest, HttpResponse};

/// Deletes a theme: it leaves every answer (each recoded without it, kept
/// in the answer's history) and its quotes go.
#[utoipa::path(delete, path = "/api/consultations/{slug}/questions/{question}/themes/{id}", tag = "coding",
    security(("bearer" = []), ("session" = [])),
    params(
        ("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working"),
        ("question" = String, Path, description = "A free-text question id", example = "q3"),
        ("id" = u32, Path, description = "The theme's id", example = 1)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn delete_theme(
    state: Data<AppState>,
    path: Path<(String, String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let user = auth::api(&state, &req, Need::Staff).await?;
    let (slug, question, theme) = path.into_inner();
    let loaded = state.consultation(&slug)?;
    let q = codable(&loaded, &question)?;
    let theme = theme_in_path(&theme)?;
    let (store, id) = (state.store.clone(), loaded.stored.id);
    block(move || store.delete_theme(id, &q.id, theme, &user.id))
        .await?
        .map_err(|e| refused(e, None))?;
    Ok(HttpResponse::NoContent().finish())
}
