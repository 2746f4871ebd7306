use super::codable;
use crate::analysis::answers::{self, AnswerQuery, PER_PAGE_MAX};
use crate::analysis::spec::parse_filters;
use crate::catalogue::Loaded;
use crate::domain::coding::{Assignment, ThemeId};
use crate::domain::{FieldError, Question};
use crate::web::AppState;
use crate::web::auth::{self as auth, Need};
use crate::web::error::{ApiError, ErrorBody};
use actix_web::web::{Data, Path, block};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswersBody {
    pub question: String,
    /// Answers matching the query, over every page.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub answers: Vec<AnswerBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerBody {
    pub response: uuid::Uuid,
    pub text: String,
    /// The respondent's single-choice answers: question id → option code.
    pub answers: BTreeMap<String, String>,
    /// Empty when not coded yet, or coded with no theme (see `coded`).
    pub themes: Vec<Assignment>,
    pub coded: bool,
}

/// The largest page number: what a signed 32-bit integer holds, as the
/// OpenAPI document says.
const PAGE_MAX: u32 = i32::MAX as u32;

fn whole(field: &str, text: &str, min: u32, max: u32, errors: &mut Vec<FieldError>) -> Option<u32> {
    match text.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        _ => {
            errors.push(FieldError::new(
                field,
                format!("'{text}' is not a whole number from {min} to {max}"),
            ));
            None
        }
    }
}

/// The query string, every problem named.
pub fn parse_query(
    loaded: &Loaded,
    question: Question,
    query: &str,
) -> Result<AnswerQuery, ApiError> {
    let mut errors = Vec::new();
    let (mut page, mut per_page, mut theme, mut uncoded) = (1, 50, None, false);
    let (mut filters, mut search) = (Vec::new(), Vec::new());
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "page" => page = whole("page", &value, 1, PAGE_MAX, &mut errors).unwrap_or(1),
            "per_page" => {
                per_page = whole("per_page", &value, 1, PER_PAGE_MAX, &mut errors).unwrap_or(50)
            }
            "filter" => filters.push(value.into_owned()),
            "theme" => match ThemeId::parse(&value) {
                Ok(t) => theme = Some(t),
                Err(m) => errors.push(FieldError::new("theme", m)),
            },
            "uncoded" => match value.as_ref() {
                "true" => uncoded = true,
                "false" => uncoded = false,
                other => errors.push(FieldError::new(
                    "uncoded",
                    format!("'{other}' is not true or false"),
                )),
            },
            "search" => search.extend(value.split_whitespace().map(str::to_lowercase)),
            other => errors.push(FieldError::new(other, "unknown parameter")),
        }
    }
    let filters = parse_filters(&loaded.definition, &filters, &mut errors);
    if errors.is_empty() {
        Ok(AnswerQuery {
            question,
            filters,
            theme,
            uncoded,
            search,
            page,
            per_page,
        })
    } else {
        Err(ApiError::Invalid(errors))
    }
}

/// A free-text question's answers (blank ones are not answers), each with
/// its respondent's single-choice answers and its themes, oldest first.
/// `filter=<single-choice question>:<code>[,<code>]` (repeatable),
/// `theme=<id>`, `uncoded=true` and `search=<words>` (every word, any case)
/// narrow them.
#[utoipa::path(get, path = "/api/consultations/{slug}/questions/{question}/answers", tag = "coding",
    security(("bearer" = []), ("session" = [])),
    params(
        ("slug" = String, Path, description = "The consultation's slug", example = "next-steps-for-system-working"),
        ("question" = String, Path, description = "A free-text question id", example = "q3"),
        ("page" = Option<u32>, Query, description = "From 1; default 1", minimum = 1, maximum = 2147483647),
        ("per_page" = Option<u32>, Query, description = "Default 50, at most 500", minimum = 1, maximum = 500),
        ("filter" = Option<String>, Query, description = "`<single-choice question>:<code>[,<code>]`; repeatable"),
        ("theme" = Option<u32>, Query, description = "Only answers carrying this theme", minimum = 1, maximum = 2147483647),
        ("uncoded" = Option<bool>, Query, description = "Only answers not coded yet"),
        ("search" = Option<String>, Query, description = "Words that must all occur, any case")),
    responses(
        (status = 200, description = "A page of answers", body = AnswersBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_answers(
    state: Data<AppState>,
    path: Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    auth::api(&state, &req, Need::Staff).await?;
    let (slug, question) = path.into_inner();
    let loaded = state.consultation(&slug)?;
    let q = codable(&loaded, &question)?;
    let query = parse_query(&loaded, q, req.query_string())?;
    let snapshot = crate::web::snapshot(&state, &loaded).await?;
    let (store, definition, id) = (
        state.store.clone(),
        loaded.definition.clone(),
        loaded.stored.id,
    );
    let q2 = query.clone();
    let found = block(move || answers::page(&store, &definition, id, &snapshot, &q2)).await??;
    Ok(HttpResponse::Ok().json(AnswersBody {
        question: query.question.id.to_string(),
        total: found.total,
        page: query.page,
        per_page: query.per_page,
        answers: found
            .rows
            .into_iter()
            .map(|r| AnswerBody {
                response: r.response,
                text: r.text,
                answers: r.answers,
                coded: r.themes.is_some(),
                themes: r.themes.unwrap_or_default(),
            })
            .collect(),
    }))
}
