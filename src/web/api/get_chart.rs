use super::{breakdown_query, snapshot};
use crate::charts::{self, ChartError, Kind, Source};
use crate::domain::FieldError;
use crate::web::AppState;
use crate::web::auth::{self as auth, Need};
use crate::web::error::{ApiError, ErrorBody};
use actix_web::http::header::{self, IfNoneMatch};
use actix_web::web::{Data, Header, Path};
use actix_web::{HttpRequest, HttpResponse};

/// A chart of a question: `{question}.svg` or `{question}.png`, broken
/// down by `by` (default `stakeholder_group`) unless `kind=overall`. By
/// default a single-choice question is drawn `stacked`: one 100% bar per
/// group of `by` plus all respondents. A multiple-choice question is drawn
/// `grouped`: a row per group plus all respondents, labelled with its n,
/// and a bar per option giving the share of those in the group who
/// answered who chose it (so rows can add up to more than 100%); groups
/// with fewer than 10 answers are marked as a small base, and groups with
/// none say "no answers". `kind=overall` draws one bar per option for all
/// respondents; `grouped` may also be asked for a single-choice question.
/// A filtered chart says which respondents it keeps under its title.
/// Takes the breakdown's `by`, `filter`, `from` and `to`.
#[utoipa::path(get, path = "/api/consultations/{slug}/charts/{file}", tag = "results",
    security(("bearer" = []), ("session" = [])),
    params(
        ("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working"),
        ("file" = String, Path, description = "`<question id>.svg` or `<question id>.png`", example = "q1.svg"),
        ("by" = Option<String>, Query, description = "A single-choice question id; default stakeholder_group"),
        ("kind" = Option<Kind>, Query, description = "`stacked` (single choice only; its default), `grouped` (the default for multiple choice) or `overall`")),
    responses(
        (status = 200, description = "The chart", content(
            ("image/svg+xml"), ("image/png"))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn get_chart(
    state: Data<AppState>,
    path: Path<(String, String)>,
    req: HttpRequest,
    if_none_match: Option<Header<IfNoneMatch>>,
) -> Result<HttpResponse, ApiError> {
    auth::api(&state, &req, Need::Staff).await?;
    let (slug, file) = path.into_inner();
    let Some((question, format)) = file.rsplit_once('.') else {
        return Err(ApiError::NotFound(format!(
            "no chart '{file}': use <question>.svg or .png"
        )));
    };
    if format != "svg" && format != "png" {
        return Err(ApiError::NotFound(format!(
            "no chart format '{format}': use svg or png"
        )));
    }
    let loaded = state.consultation(&slug)?;
    // `kind` is the chart's own parameter; the rest are the breakdown's.
    // All are checked before a snapshot is loaded, or perhaps built.
    let (spec, theirs) =
        breakdown_query::parse(req.query_string(), Some(question), &loaded, &["kind"])?;
    let kind = match theirs.last().map(|(_, v)| v.as_str()) {
        None => Kind::default_for(spec.question.question_type()),
        Some(text) => Kind::parse(text).ok_or_else(|| {
            ApiError::Invalid(vec![FieldError::new(
                "kind",
                format!("'{text}' is not a chart kind: use stacked, grouped or overall"),
            )])
        })?,
    };
    let snapshot = crate::web::snapshot(&state, &loaded).await?;
    let source = Source {
        consultation: loaded.definition.title.clone(),
        date: chrono::Utc::now().date_naive(),
        filters: spec.filters.describe(&loaded.definition),
    };
    let extra = format!("{}-{}", source.date, charts::DRAWING_VERSION);
    let etag = snapshot::etag(&snapshot, &req, &extra);
    if let Some(unchanged) = snapshot::not_modified(if_none_match, &etag) {
        return Ok(unchanged);
    }
    let chart_error = |e: ChartError| match e {
        ChartError::Unsupported(m) => ApiError::Invalid(vec![FieldError::new("kind", m)]),
        other => ApiError::internal(other),
    };
    let svg_wanted = format == "svg";
    let frame = snapshot.clone();
    let body: Result<Vec<u8>, ChartError> = snapshot::compute(move || {
        let result = frame.breakdown(spec).map_err(ApiError::internal)?;
        Ok(if svg_wanted {
            charts::svg(&result, kind, &source).map(String::into_bytes)
        } else {
            charts::png(&result, kind, &source)
        })
    })
    .await?;
    let content_type = if svg_wanted {
        "image/svg+xml; charset=utf-8"
    } else {
        "image/png"
    };
    Ok(HttpResponse::Ok()
        .insert_header(header::ETag(etag))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .content_type(content_type)
        .body(body.map_err(chart_error)?))
}
