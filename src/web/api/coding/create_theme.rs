use super::{ThemeBody, codable, refused};
use crate::domain::FieldError;
use crate::domain::coding::{ThemeDescription, ThemeLabel};
use crate::web::AppState;
use crate::web::api::json_body;
use crate::web::auth::{self as auth, Need};
use crate::web::error::{ApiError, ErrorBody};
use actix_web::web::{Data, Path, Payload, block};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::Value;

/// A theme's label and description from a JSON body; `required` says
/// whether the label must be there (creating) or may be left out
/// (changing).
pub fn theme_fields(
    body: &[u8],
    required: bool,
) -> Result<(Option<ThemeLabel>, Option<ThemeDescription>), ApiError> {
    let obj = json_body::object(body)?;
    let mut errors = json_body::unknown_fields(&obj, &["label", "description"]);
    let mut text = |key: &str| match obj.get(key) {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errors.push(FieldError::new(key, "expected a string"));
            None
        }
    };
    let (label, description) = (text("label"), text("description"));
    let label = match label {
        Some(l) => ThemeLabel::parse(&l).map_err(|e| errors.push(e)).ok(),
        None if required => {
            errors.push(FieldError::new("label", "give the theme a label"));
            None
        }
        None => None,
    };
    let description =
        description.and_then(|d| ThemeDescription::parse(&d).map_err(|e| errors.push(e)).ok());
    if errors.is_empty() {
        Ok((label, description))
    } else {
        Err(ApiError::Invalid(errors))
    }
}

/// Adds a theme to a free-text question's codebook. Labels are unique in
/// the question, whatever their case.
#[utoipa::path(post, path = "/api/consultations/{slug}/questions/{question}/themes", tag = "coding",
    security(("bearer" = []), ("session" = [])),
    params(
        ("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working"),
        ("question" = String, Path, description = "A free-text question id", example = "q3")),
    request_body(content = inline(serde_json::Value), description = "{label: 1–80 characters, description?}", content_type = "application/json"),
    responses(
        (status = 201, description = "The theme", body = ThemeBody),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "A theme of the question already has this label", body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_theme(
    state: Data<AppState>,
    path: Path<(String, String)>,
    req: HttpRequest,
    payload: Payload,
) -> Result<HttpResponse, ApiError> {
    let user = auth::api(&state, &req, Need::Staff).await?;
    let (slug, question) = path.into_inner();
    let loaded = state.consultation(&slug)?;
    let q = codable(&loaded, &question)?;
    let body = json_body::read(&req, payload).await?;
    let (label, description) = theme_fields(&body, true)?;
    let Some(label) = label else {
        return Err(ApiError::Invalid(vec![FieldError::new(
            "label",
            "give the theme a label",
        )]));
    };
    let (store, id) = (state.store.clone(), loaded.stored.id);
    let theme = block(move || {
        store.create_theme(
            id,
            &q.id,
            label,
            description.unwrap_or_default(),
            Some(&user.id),
        )
    })
    .await?
    .map_err(|e| refused(e, None))?;
    Ok(HttpResponse::Created().json(ThemeBody::new(&theme, Some(0))))
}
