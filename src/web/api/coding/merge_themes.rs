use super::{codable, refused, theme_in_path};
use crate::domain::FieldError;
use crate::domain::coding::ThemeId;
use crate::web::AppState;
use crate::web::api::json_body;
use crate::web::auth::{self as auth, Need};
use crate::web::error::{ApiError, ErrorBody};
use actix_web::web::{Data, Path, Payload, block};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};

/// Merges this theme into another (`{"into": id}`): its answers carry that
/// one instead, its quotes move, and it is deleted.
#[utoipa::path(post, path = "/api/consultations/{slug}/questions/{question}/themes/{id}/merge", tag = "coding",
    security(("bearer" = []), ("session" = [])),
    params(
        ("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working"),
        ("question" = String, Path, description = "A free-text question id", example = "q3"),
        ("id" = u32, Path, description = "The theme merged away", example = 2)),
    request_body(content = inline(serde_json::Value), description = "{into: the theme kept}", content_type = "application/json"),
    responses(
        (status = 200, description = "{into, recoded}: the kept theme and how many answers were recoded"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn merge_themes(
    state: Data<AppState>,
    path: Path<(String, String, String)>,
    req: HttpRequest,
    payload: Payload,
) -> Result<HttpResponse, ApiError> {
    let user = auth::api(&state, &req, Need::Staff).await?;
    let (slug, question, theme) = path.into_inner();
    let loaded = state.consultation(&slug)?;
    let q = codable(&loaded, &question)?;
    let from = theme_in_path(&theme)?;
    let body = json_body::read(&req, payload).await?;
    let obj = json_body::object(&body)?;
    let mut errors = json_body::unknown_fields(&obj, &["into"]);
    let into = match obj.get("into") {
        Some(Value::Number(n)) => n.as_i64().and_then(ThemeId::new),
        _ => None,
    };
    if into.is_none() {
        errors.push(FieldError::new("into", "give the id of the theme to keep"));
    }
    let (Some(into), true) = (into, errors.is_empty()) else {
        return Err(ApiError::Invalid(errors));
    };
    let (store, id) = (state.store.clone(), loaded.stored.id);
    let recoded = block(move || store.merge_themes(id, &q.id, from, into, &user.id))
        .await?
        .map_err(|e| match e {
            crate::storage::StorageError::NoTheme(t) if t == into => {
                ApiError::Invalid(vec![FieldError::new("into", e.to_string())])
            }
            other => refused(other, None),
        })?;
    Ok(HttpResponse::Ok().json(json!({ "into": into, "recoded": recoded })))
}
