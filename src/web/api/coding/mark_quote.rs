use super::{codable, refused, response_in_path, theme_in_path};
use crate::web::AppState;
use crate::web::auth::{self as auth, Need};
use crate::web::error::{ApiError, ErrorBody};
use actix_web::web::{Data, Path, block};
use actix_web::{HttpRequest, HttpResponse};

async fn set(
    state: Data<AppState>,
    path: Path<(String, String, String, String)>,
    req: HttpRequest,
    on: bool,
) -> Result<HttpResponse, ApiError> {
    let user = auth::api(&state, &req, Need::Staff).await?;
    let (slug, question, response, theme) = path.into_inner();
    let loaded = state.consultation(&slug)?;
    let q = codable(&loaded, &question)?;
    let response = response_in_path(&response)?;
    let theme = theme_in_path(&theme)?;
    let (store, id) = (state.store.clone(), loaded.stored.id);
    block(move || store.mark_quote(id, response, &q.id, theme, on, &user.id))
        .await?
        .map_err(|e| refused(e, None))?;
    Ok(HttpResponse::NoContent().finish())
}

/// Marks an answer as a quote for a theme. Quotes shown beyond the coding
/// pages are scrubbed of personal data and attributed only by stakeholder
/// group.
#[utoipa::path(put, path = "/api/consultations/{slug}/questions/{question}/answers/{response}/quotes/{theme}", tag = "coding",
    security(("bearer" = []), ("session" = [])),
    params(
        ("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working"),
        ("question" = String, Path, description = "A free-text question id", example = "q3"),
        ("response" = String, Path, description = "The response's id"),
        ("theme" = u32, Path, description = "The theme it is quoted for", example = 1)),
    responses(
        (status = 204, description = "Marked"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mark_quote(
    state: Data<AppState>,
    path: Path<(String, String, String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    set(state, path, req, true).await
}

/// No longer quotes the answer for the theme.
#[utoipa::path(delete, path = "/api/consultations/{slug}/questions/{question}/answers/{response}/quotes/{theme}", tag = "coding",
    security(("bearer" = []), ("session" = [])),
    params(
        ("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working"),
        ("question" = String, Path, description = "A free-text question id", example = "q3"),
        ("response" = String, Path, description = "The response's id"),
        ("theme" = u32, Path, description = "The theme", example = 1)),
    responses(
        (status = 204, description = "Unmarked"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn unmark_quote(
    state: Data<AppState>,
    path: Path<(String, String, String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    set(state, path, req, false).await
}
