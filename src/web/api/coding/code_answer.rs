use super::{CodingBody, codable, refused, response_in_path};
use crate::domain::FieldError;
use crate::domain::coding::ThemeId;
use crate::web::AppState;
use crate::web::api::json_body;
use crate::web::auth::{self as auth, Need};
use crate::web::error::{ApiError, ErrorBody};
use actix_web::web::{Data, Path, Payload, block};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::Value;

/// The theme ids of a coding body, every problem named.
fn theme_ids(body: &[u8]) -> Result<Vec<ThemeId>, ApiError> {
    let obj = json_body::object(body)?;
    let mut errors = json_body::unknown_fields(&obj, &["themes"]);
    let mut ids = Vec::new();
    match obj.get("themes") {
        Some(Value::Array(items)) => {
            for item in items {
                match item.as_i64().and_then(ThemeId::new) {
                    Some(id) if ids.contains(&id) => errors.push(FieldError::new(
                        "themes",
                        format!("theme {id} is listed twice"),
                    )),
                    Some(id) => ids.push(id),
                    None => errors.push(FieldError::new(
                        "themes",
                        format!("{item} is not a theme id"),
                    )),
                }
            }
        }
        _ => errors.push(FieldError::new(
            "themes",
            "give the list of theme ids that apply ([] when none does)",
        )),
    }
    if errors.is_empty() {
        Ok(ids)
    } else {
        Err(ApiError::Invalid(errors))
    }
}

/// Codes one answer, replacing its coding (kept in its history), as the
/// person signed in. `{"themes": []}` records that it was read and no
/// theme applies.
#[utoipa::path(put, path = "/api/consultations/{slug}/questions/{question}/answers/{response}/themes", tag = "coding",
    security(("bearer" = []), ("session" = [])),
    params(
        ("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working"),
        ("question" = String, Path, description = "A free-text question id", example = "q3"),
        ("response" = String, Path, description = "The response's id")),
    request_body(content = inline(serde_json::Value), description = "{themes: [theme ids]}", content_type = "application/json"),
    responses(
        (status = 200, description = "The answer's themes as now stored", body = CodingBody),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such response, or it has no answer to the question", body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 422, description = "A theme that is not the question's", body = ErrorBody)))]
pub async fn code_answer(
    state: Data<AppState>,
    path: Path<(String, String, String)>,
    req: HttpRequest,
    payload: Payload,
) -> Result<HttpResponse, ApiError> {
    let user = auth::api(&state, &req, Need::Staff).await?;
    let (slug, question, response) = path.into_inner();
    let loaded = state.consultation(&slug)?;
    let q = codable(&loaded, &question)?;
    let response = response_in_path(&response)?;
    let body = json_body::read(&req, payload).await?;
    let ids = theme_ids(&body)?;
    let (store, id, qid) = (state.store.clone(), loaded.stored.id, q.id.clone());
    let themes = block(move || store.code_answer(id, response, &qid, &ids, &user.id))
        .await?
        .map_err(|e| refused(e, Some("themes")))?;
    Ok(HttpResponse::Ok().json(CodingBody {
        response,
        question: q.id.to_string(),
        themes,
    }))
}
