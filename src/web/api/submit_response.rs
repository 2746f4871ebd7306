use super::submission::{self, SubmissionRequest};
use crate::storage::{Channel, Pending};
use crate::web::AppState;
use crate::web::error::{ApiError, ErrorBody};
use actix_web::{HttpResponse, web::Data, web::Path, web::Payload};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionAccepted {
    /// The stored response (UUID v7).
    pub id: Uuid,
    /// A reference the member can quote.
    pub receipt: String,
}

/// Submit a complete response. Nothing is stored unless every answer is
/// valid; the response is stored atomically.
#[utoipa::path(post, path = "/api/consultations/{slug}/responses", tag = "responses",
    params(("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working")),
    request_body = SubmissionRequest,
    responses(
        (status = 201, description = "Stored", body = SubmissionAccepted),
        (status = 200, description = "A retry of an earlier submission with the same submission_id and answers", body = SubmissionAccepted),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 404, description = "No such consultation", body = ErrorBody),
        (status = 409, description = "The consultation is not open, or the submission_id was used with other answers", body = ErrorBody),
        (status = 413, description = "The body is over 1 MiB", body = ErrorBody),
        (status = 415, description = "The body is not sent as application/json", body = ErrorBody),
        (status = 422, description = "Every problem with the answers", body = ErrorBody),
        (status = 429, description = "Too many submissions from this address; see Retry-After", body = ErrorBody),
        (status = 503, description = "Nothing can be stored right now; see Retry-After", body = ErrorBody)))]
#[tracing::instrument(name = "submit_response", skip(state, payload), fields(slug = %slug))]
pub async fn submit_response(
    state: Data<AppState>,
    slug: Path<String>,
    req: actix_web::HttpRequest,
    payload: Payload,
) -> Result<HttpResponse, ApiError> {
    state
        .limits
        .submission(&req)
        .map_err(|r| ApiError::TooMany(r.0))?;
    let loaded = state.consultation(&slug)?;
    let body = super::json_body::read(&req, payload).await?;
    if loaded.definition.invite_only {
        return Err(ApiError::InviteOnly);
    }
    if !crate::web::schedule::is_open(&state, &loaded).await? {
        return Err(ApiError::Closed(format!(
            "'{slug}' is not open for responses"
        )));
    }
    let parsed = submission::parse(&body, &loaded.definition)?;
    let outcome = state
        .commits
        .submit(Pending {
            consultation: loaded.stored,
            submission_id: parsed.submission_id,
            answers: parsed.answers,
            channel: Channel::Api,
        })
        .await?;
    let body = SubmissionAccepted {
        id: outcome.id,
        receipt: outcome.receipt,
    };
    Ok(if outcome.created {
        HttpResponse::Created().json(body)
    } else {
        HttpResponse::Ok().json(body)
    })
}
