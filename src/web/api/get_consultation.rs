use crate::web::AppState;
use crate::web::error::{ApiError, ErrorBody};
use actix_web::{HttpResponse, web::Data, web::Path};
use serde_json::json;

/// A consultation's definition: its sections, questions (id, kind, text,
/// help, required, condition) and options with their codes and labels.
#[utoipa::path(get, path = "/api/consultations/{slug}", tag = "consultations",
    params(("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working")),
    responses(
        (status = 200, description = "The definition, with `version` and `open` added", body = Object),
        (status = 404, body = ErrorBody)))]
pub async fn get_consultation(
    state: Data<AppState>,
    slug: Path<String>,
) -> Result<HttpResponse, ApiError> {
    let loaded = state.consultation(&slug)?;
    let open = crate::web::schedule::is_open(&state, &loaded).await?;
    let mut body = serde_json::to_value(&loaded.definition).map_err(ApiError::internal)?;
    if let Some(obj) = body.as_object_mut() {
        obj.insert("version".into(), json!(loaded.stored.version));
        obj.insert("open".into(), json!(open));
    }
    Ok(HttpResponse::Ok().json(body))
}
