use super::snapshot;
use crate::analysis::headline::{HeadlineSentence, headlines};
use crate::web::AppState;
use crate::web::auth::{self as auth, Need};
use crate::web::error::{ApiError, ErrorBody};
use actix_web::HttpResponse;
use actix_web::web::{Data, Path};

/// The headline sentences of the consultation's results, one per question
/// whose definition declares a headline, worked out from the stored data
/// ("8 in 10 respondents ...").
#[utoipa::path(get, path = "/api/consultations/{slug}/headlines", tag = "results",
    security(("bearer" = []), ("session" = [])),
    params(("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working")),
    responses((status = 200, body = [HeadlineSentence]), (status = 404, body = ErrorBody)))]
pub async fn get_headlines(
    state: Data<AppState>,
    slug: Path<String>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, ApiError> {
    auth::api(&state, &req, Need::Staff).await?;
    let loaded = state.consultation(&slug)?;
    let snapshot = crate::web::snapshot(&state, &loaded).await?;
    let out = snapshot::compute(move || {
        headlines(&loaded.definition, &snapshot.frame).map_err(ApiError::internal)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
