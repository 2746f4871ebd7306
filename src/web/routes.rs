//! The whole route tree, in one list. Each path is one resource with a
//! route per method, so that a known path asked with another method answers
//! 405 with `Allow` (actix-web fills it from the routes' method guards), and
//! every page that answers GET answers HEAD too.
use super::error::ApiError;
use super::pages::PageError;
use super::{api, pages, research, staff};
use actix_files::Files;
use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse, ErrorHandlers};
use actix_web::web::{self, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, Responder, ResponseError, Route, guard};
use std::path::Path;

/// Declares every route once: the registration, and `TABLE`, the list of
/// paths and methods that tests hold against the OpenAPI document and the
/// access rules. `private` marks pages and downloads that must not be kept
/// by caches. Order matters where patterns overlap (`/staff/audit` before
/// `/staff/{slug}`).
macro_rules! routes {
    ($( $path:literal $(, $private:ident)? => { $( $method:ident $handler:path ),+ $(,)? } ),* $(,)?) => {
        /// Every route's path pattern and methods (GET routes also answer
        /// HEAD).
        pub const TABLE: &[(&str, &[&str])] = &[ $( ($path, &[ $( stringify!($method) ),+ ]) ),* ];

        fn register(cfg: &mut ServiceConfig) {
            use api::*;
            use pages::{check, confirmation, home, invitation, section, sign_in, start, withdraw};
            $(
                let r = res($path) $( .route(routes!(@route $method $handler)) )+ ;
                routes!(@add cfg r $($private)?);
            )*
        }
    };
    (@route GET $h:path) => { get($h) };
    (@route POST $h:path) => { web::post().to($h) };
    (@route PUT $h:path) => { web::put().to($h) };
    (@route PATCH $h:path) => { web::patch().to($h) };
    (@route DELETE $h:path) => { web::delete().to($h) };
    (@add $cfg:ident $r:ident private) => { $cfg.service($r.wrap(no_store())); };
    (@add $cfg:ident $r:ident) => { $cfg.service($r); };
}

routes! {
    "/api/consultations" => { GET list_consultations::list_consultations },
    "/api/consultations/{slug}" => { GET get_consultation::get_consultation },
    "/api/consultations/{slug}/results" => { GET get_results::get_results },
    "/api/consultations/{slug}/breakdown" => { GET get_breakdown::get_breakdown },
    "/api/consultations/{slug}/breakdown.csv" => { GET get_breakdown::get_breakdown_csv },
    "/api/consultations/{slug}/headlines" => { GET get_headlines::get_headlines },
    "/api/consultations/{slug}/export", private => { GET get_export::get_export },
    "/api/consultations/{slug}/export/disclosure", private => { GET get_export::get_disclosure },
    "/api/consultations/{slug}/open" => { POST set_schedule::open_consultation },
    "/api/consultations/{slug}/close" => { POST set_schedule::close_consultation },
    "/api/consultations/{slug}/charts/{file}" => { GET get_chart::get_chart },
    "/api/consultations/{slug}/responses" => { POST submit_response::submit_response },
    // Free-text answers read, coded and counted.
    "/api/consultations/{slug}/questions/{question}/answers", private => {
        GET coding::list_answers::list_answers
    },
    "/api/consultations/{slug}/questions/{question}/answers/{response}/themes" => {
        PUT coding::code_answer::code_answer
    },
    "/api/consultations/{slug}/questions/{question}/answers/{response}/history", private => {
        GET coding::coding_history::coding_history
    },
    "/api/consultations/{slug}/questions/{question}/answers/{response}/quotes/{theme}" => {
        PUT coding::mark_quote::mark_quote, DELETE coding::mark_quote::unmark_quote
    },
    "/api/consultations/{slug}/questions/{question}/themes" => {
        GET coding::list_themes::list_themes, POST coding::create_theme::create_theme
    },
    "/api/consultations/{slug}/questions/{question}/themes/{id}" => {
        PATCH coding::change_theme::change_theme, DELETE coding::delete_theme::delete_theme
    },
    "/api/consultations/{slug}/questions/{question}/themes/{id}/merge" => {
        POST coding::merge_themes::merge_themes
    },
    "/api/openapi.json" => { GET openapi::openapi_json },
    // The members' survey.
    "/" => { GET home::home },
    "/consultations/{slug}" => { GET start::start_page },
    // A bookmarked or shared form address leads to the start page.
    "/consultations/{slug}/start", private => { POST start::begin, GET start::to_start_page },
    "/consultations/{slug}/i/{token}", private => { GET invitation::redeem },
    "/consultations/{slug}/r/{token}", private => { GET confirmation::resume },
    "/consultations/{slug}/r/{token}/sections/{section}", private => {
        GET section::show_section, POST section::save_section
    },
    "/consultations/{slug}/r/{token}/check", private => { GET check::check_answers },
    "/consultations/{slug}/r/{token}/submit", private => { POST check::submit },
    "/consultations/{slug}/r/{token}/confirmation", private => { GET confirmation::confirmation },
    "/consultations/{slug}/r/{token}/print", private => { GET confirmation::print },
    "/consultations/{slug}/r/{token}/saved", private => { GET confirmation::saved },
    "/consultations/{slug}/r/{token}/withdraw", private => {
        GET withdraw::withdraw_page, POST withdraw::withdraw
    },
    "/sign-in", private => { GET sign_in::sign_in_page, POST sign_in::sign_in },
    "/sign-out", private => { GET sign_in::sign_out_page, POST sign_in::sign_out },
    // Policy staff and researchers.
    "/staff", private => { GET staff::index::index },
    "/staff/audit", private => { GET staff::audit::audit },
    "/staff/{slug}", private => { GET staff::dashboard::dashboard },
    "/staff/{slug}/questions/{question}", private => { GET staff::question::question },
    "/research", private => { GET research::research },
    "/research/{slug}/identified-export", private => { POST research::identified_export },
}

pub fn configure(cfg: &mut ServiceConfig, frontend: &Path) {
    register(cfg);
    cfg.service(Files::new(
        "/assets",
        frontend.join("node_modules/nhsuk-frontend/dist/nhsuk"),
    ))
    .service(Files::new("/static", frontend.join("static")))
    .default_service(web::to(no_route));
}

fn res(path: &str) -> actix_web::Resource {
    web::resource(path)
}

/// A GET route that answers HEAD as well (the body is not sent for HEAD).
fn get<F, Args>(handler: F) -> Route
where
    F: actix_web::Handler<Args>,
    Args: actix_web::FromRequest + 'static,
    F::Output: Responder + 'static,
{
    web::route()
        .guard(guard::Any(guard::Get()).or(guard::Head()))
        .to(handler)
}

/// For pages and downloads that hold personal data or a private link:
/// neither the browser nor anything between may keep a copy.
fn no_store() -> DefaultHeaders {
    DefaultHeaders::new().add((header::CACHE_CONTROL, "no-store"))
}

fn is_api(req: &HttpRequest) -> bool {
    req.path() == "/api" || req.path().starts_with("/api/")
}

/// No route has this path: the API's JSON error, or the not-found page.
async fn no_route(req: HttpRequest) -> HttpResponse {
    if is_api(&req) {
        ApiError::NoRoute(req.path().to_owned()).error_response()
    } else {
        PageError::NotFound.error_response()
    }
}

/// A 405's body: the API's JSON error, or a page, keeping actix-web's
/// `Allow` header.
pub fn method_not_allowed() -> ErrorHandlers<BoxBody> {
    ErrorHandlers::new().handler(StatusCode::METHOD_NOT_ALLOWED, |res: ServiceResponse| {
        let (req, old) = res.into_parts();
        let mut new = if is_api(&req) {
            ApiError::MethodNotAllowed(req.method().to_string()).error_response()
        } else {
            PageError::MethodNotAllowed.error_response()
        };
        if let Some(allow) = old.headers().get(header::ALLOW) {
            new.headers_mut().insert(header::ALLOW, allow.clone());
        }
        Ok(ErrorHandlerResponse::Response(
            ServiceResponse::new(req, new).map_into_right_body(),
        ))
    })
}
