use super::snapshot;
use crate::analysis::QuestionTally;
use crate::web::AppState;
use crate::web::auth::{self as auth, Need};
use crate::web::error::{ApiError, ErrorBody};
use actix_web::HttpResponse;
use actix_web::http::header::{self, IfNoneMatch};
use actix_web::web::{Data, Header, Path};

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ResultsBody<'a> {
    pub consultation: &'a str,
    pub definition_version: i32,
    /// Responses stored (each counted once, at its latest version).
    pub responses: u64,
    /// Closed questions in the definition's order.
    pub questions: &'a [QuestionTally],
}

/// Answer counts for every closed question of a consultation, overall:
/// respondents who answered each question, and how many chose each option
/// (in the definition's order). The ETag changes with every stored change,
/// whichever instance of the service made it.
#[utoipa::path(get, path = "/api/consultations/{slug}/results", tag = "results",
    security(("bearer" = []), ("session" = [])),
    params(("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working")),
    responses(
        (status = 200, description = "Counts per question and option", body = ResultsBody),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 404, body = ErrorBody)))]
pub async fn get_results(
    state: Data<AppState>,
    slug: Path<String>,
    req: actix_web::HttpRequest,
    if_none_match: Option<Header<IfNoneMatch>>,
) -> Result<HttpResponse, ApiError> {
    auth::api(&state, &req, Need::Staff).await?;
    let loaded = state.consultation(&slug)?;
    let snapshot = crate::web::snapshot(&state, &loaded).await?;
    let etag = snapshot::etag(&snapshot, &req, "");
    if let Some(unchanged) = snapshot::not_modified(if_none_match, &etag) {
        return Ok(unchanged);
    }
    Ok(HttpResponse::Ok()
        .insert_header(header::ETag(etag))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(ResultsBody {
            consultation: slug.as_str(),
            definition_version: loaded.stored.version,
            responses: snapshot.tally.responses,
            questions: &snapshot.tally.questions,
        }))
}
