use super::coding::{
    change_theme, code_answer, coding_history, create_theme, delete_theme, list_answers,
    list_themes, mark_quote, merge_themes,
};
use super::{
    get_breakdown, get_chart, get_consultation, get_export, get_headlines, get_results,
    list_consultations, set_schedule, submission, submit_response,
};
use crate::web::error::{ErrorBody, ErrorItem};
use actix_web::HttpResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    modifiers(&Guarded),
    info(
        title = "consult",
        description = "Member consultations: definitions and responses"
    ),
    paths(
        list_consultations::list_consultations,
        get_consultation::get_consultation,
        get_results::get_results,
        get_breakdown::get_breakdown,
        get_breakdown::get_breakdown_csv,
        get_headlines::get_headlines,
        get_export::get_export,
        get_export::get_disclosure,
        set_schedule::open_consultation,
        set_schedule::close_consultation,
        get_chart::get_chart,
        submit_response::submit_response,
        list_answers::list_answers,
        code_answer::code_answer,
        coding_history::coding_history,
        mark_quote::mark_quote,
        mark_quote::unmark_quote,
        list_themes::list_themes,
        create_theme::create_theme,
        change_theme::change_theme,
        delete_theme::delete_theme,
        merge_themes::merge_themes,
        openapi_json
    ),
    components(schemas(
        list_consultations::ConsultationListItem,
        submission::SubmissionRequest,
        submit_response::SubmissionAccepted,
        get_results::ResultsBody,
        crate::analysis::breakdown::Breakdown,
        crate::analysis::breakdown::GroupRow,
        crate::analysis::breakdown::CombinedRow,
        crate::analysis::breakdown::CombinedCell,
        crate::analysis::breakdown::OptionInfo,
        crate::analysis::stats::Interval,
        crate::analysis::stats::ChiSquare,
        crate::analysis::headline::HeadlineSentence,
        crate::analysis::QuestionTally,
        crate::analysis::OptionCount,
        submission::AnswerValue,
        list_answers::AnswersBody,
        list_answers::AnswerBody,
        super::coding::ThemeBody,
        super::coding::CodingBody,
        crate::domain::coding::Assignment,
        crate::domain::coding::AssignedBy,
        crate::export::formats::Format,
        crate::charts::Kind,
        ErrorBody,
        ErrorItem
    ))
)]
pub struct ApiDoc;

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", responses((status = 200, body = Object)))]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

/// The security schemes, and for every operation that names one, the
/// answers every guarded route can give: 401 without a valid token or
/// session, 403 for a role that does not allow it.
struct Guarded;

impl Modify for Guarded {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        components.add_security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::web::auth::SESSION_COOKIE,
                "The web session of a signed-in browser",
            ))),
        );
        for item in doc.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                if op.security.as_ref().is_none_or(|s| s.is_empty()) {
                    continue;
                }
                for (status, what) in [
                    ("401", "No valid API token or session"),
                    ("403", "The account's role does not allow this"),
                ] {
                    op.responses
                        .responses
                        .entry(status.into())
                        .or_insert_with(|| error_response(what));
                }
            }
        }
    }
}

/// Names of the security schemes, as routes' `security(...)` give them.
pub const BEARER: &str = "bearer";
pub const SESSION: &str = "session";

fn error_response(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                Content::new(Some(RefOr::Ref(Ref::from_schema_name("ErrorBody")))),
            )
            .build(),
    )
}
