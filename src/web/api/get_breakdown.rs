use super::{breakdown_query, snapshot};
use crate::analysis::breakdown::Breakdown;
use crate::export;
use crate::web::AppState;
use crate::web::auth::{self as auth, Need};
use crate::web::error::{ApiError, ErrorBody};
use actix_web::http::header::{self, IfNoneMatch};
use actix_web::web::{Data, Header, Path};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct BreakdownBody<'a> {
    pub consultation: &'a str,
    pub definition_version: i32,
    #[serde(flatten)]
    pub breakdown: &'a Breakdown,
}

/// A closed question broken down by a single-choice question (stakeholder
/// group by default): per group and for all respondents the base `n`,
/// `skipped`, counts, unrounded percentages (0–100) and 95% Wilson
/// intervals per option; declared combined categories; and, for
/// single-choice questions, a chi-square test of independence.
#[utoipa::path(get, path = "/api/consultations/{slug}/breakdown", tag = "results",
    security(("bearer" = []), ("session" = [])),
    params(
        ("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working"),
        ("question" = String, Query, description = "A single- or multiple-choice question id", example = "q1"),
        ("by" = Option<String>, Query, description = "A single-choice question id; default stakeholder_group"),
        ("filter" = Option<Vec<String>>, Query, description = "question:code[,code], repeatable: keep respondents who gave one of these answers"),
        ("from" = Option<String>, Query, description = "Submitted on or after this date (YYYY-MM-DD)"),
        ("to" = Option<String>, Query, description = "Submitted on or before this date (YYYY-MM-DD)")),
    responses(
        (status = 200, body = BreakdownBody),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 404, body = ErrorBody),
        (status = 422, description = "A parameter names no suitable question or option", body = ErrorBody)))]
pub async fn get_breakdown(
    state: Data<AppState>,
    slug: Path<String>,
    req: HttpRequest,
    if_none_match: Option<Header<IfNoneMatch>>,
) -> Result<HttpResponse, ApiError> {
    respond(state, slug.into_inner(), req, if_none_match, false).await
}

/// The same breakdown as a CSV table (percentages to one decimal place).
#[utoipa::path(get, path = "/api/consultations/{slug}/breakdown.csv", tag = "results",
    security(("bearer" = []), ("session" = [])),
    params(("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working"),
        ("question" = String, Query, description = "As for the JSON breakdown", example = "q1")),
    responses(
        (status = 200, description = "The table", content_type = "text/csv"),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn get_breakdown_csv(
    state: Data<AppState>,
    slug: Path<String>,
    req: HttpRequest,
    if_none_match: Option<Header<IfNoneMatch>>,
) -> Result<HttpResponse, ApiError> {
    respond(state, slug.into_inner(), req, if_none_match, true).await
}

async fn respond(
    state: Data<AppState>,
    slug: String,
    req: HttpRequest,
    if_none_match: Option<Header<IfNoneMatch>>,
    csv: bool,
) -> Result<HttpResponse, ApiError> {
    auth::api(&state, &req, Need::Staff).await?;
    let loaded = state.consultation(&slug)?;
    // The query is checked before a snapshot is loaded, or perhaps built.
    let (spec, _) = breakdown_query::parse(req.query_string(), None, &loaded, &[])?;
    let snapshot = crate::web::snapshot(&state, &loaded).await?;
    let etag = snapshot::etag(&snapshot, &req, if csv { "csv" } else { "json" });
    if let Some(unchanged) = snapshot::not_modified(if_none_match, &etag) {
        return Ok(unchanged);
    }
    let frame = snapshot.clone();
    let result =
        snapshot::compute(move || frame.breakdown(spec).map_err(ApiError::internal)).await?;
    if csv {
        let table = export::breakdown_csv(&result).map_err(ApiError::internal)?;
        let name = format!("{slug}-{}-by-{}.csv", result.question, result.by);
        return Ok(HttpResponse::Ok()
            .insert_header(header::ETag(etag))
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ))
            .content_type("text/csv; charset=utf-8")
            .body(table));
    }
    Ok(HttpResponse::Ok()
        .insert_header(header::ETag(etag))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(BreakdownBody {
            consultation: &slug,
            definition_version: snapshot.definition_version,
            breakdown: &result,
        }))
}
