use super::{
    get_breakdown, get_chart, get_consultation, get_export, get_headlines, get_results,
    list_consultations, set_schedule, submission, submit_response,
};
use crate::web::error::{ErrorBody, ErrorItem};
use actix_web::{HttpResponse, get};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
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
        ErrorBody,
        ErrorItem
    ))
)]
pub struct ApiDoc;

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", responses((status = 200, body = Object)))]
#[get("/api/openapi.json")]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
