use crate::web::AppState;
use crate::web::auth::{self as auth, Need};
use crate::web::error::{ApiError, ErrorBody};
use actix_web::web::{Data, Path, block};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

async fn set(
    state: Data<AppState>,
    slug: &str,
    req: &HttpRequest,
    open: bool,
) -> Result<HttpResponse, ApiError> {
    let user = auth::api(&state, req, Need::Admin).await?;
    let loaded = state.consultation(slug)?;
    let now = chrono::Utc::now().naive_utc();
    // Opening starts now and runs until closed; closing ends it now.
    let schedule = if open {
        (Some(now), None)
    } else {
        (None, Some(now))
    };
    let (store, id, action) = (
        state.store.clone(),
        loaded.stored.id,
        if open { "open" } else { "close" },
    );
    let detail = slug.to_owned();
    block(move || {
        let action = format!("{action}_consultation");
        store.set_schedule(id, schedule, (&user.id, &action, &detail))
    })
    .await??;
    Ok(HttpResponse::Ok().json(json!({
        "slug": slug,
        "open": crate::web::schedule::is_open(&state, &loaded).await?,
    })))
}

/// Opens (or reopens) a consultation now, until it is closed (admin).
#[utoipa::path(post, path = "/api/consultations/{slug}/open", tag = "consultations",
    security(("bearer" = []), ("session" = [])),
    params(("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working")),
    responses((status = 200, description = "{slug, open}"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn open_consultation(
    state: Data<AppState>,
    slug: Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    set(state, &slug, &req, true).await
}

/// Closes a consultation now: submissions get 409 (admin).
#[utoipa::path(post, path = "/api/consultations/{slug}/close", tag = "consultations",
    security(("bearer" = []), ("session" = [])),
    params(("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working")),
    responses((status = 200, description = "{slug, open}"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn close_consultation(
    state: Data<AppState>,
    slug: Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    set(state, &slug, &req, false).await
}
