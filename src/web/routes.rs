//! The whole route tree, in one function. Each path is one resource with a
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

pub fn configure(cfg: &mut ServiceConfig, frontend: &Path) {
    use api::*;
    use pages::{check, confirmation, home, invitation, section, sign_in, start, withdraw as wd};
    let private = "/consultations/{slug}/r/{token}";
    cfg.service(res("/api/consultations").route(get(list_consultations::list_consultations)))
        .service(res("/api/consultations/{slug}").route(get(get_consultation::get_consultation)))
        .service(res("/api/consultations/{slug}/results").route(get(get_results::get_results)))
        .service(
            res("/api/consultations/{slug}/breakdown").route(get(get_breakdown::get_breakdown)),
        )
        .service(
            res("/api/consultations/{slug}/breakdown.csv")
                .route(get(get_breakdown::get_breakdown_csv)),
        )
        .service(
            res("/api/consultations/{slug}/headlines").route(get(get_headlines::get_headlines)),
        )
        .service(
            res("/api/consultations/{slug}/export")
                .wrap(no_store())
                .route(get(get_export::get_export)),
        )
        .service(
            res("/api/consultations/{slug}/export/disclosure")
                .wrap(no_store())
                .route(get(get_export::get_disclosure)),
        )
        .service(
            res("/api/consultations/{slug}/open")
                .route(web::post().to(set_schedule::open_consultation)),
        )
        .service(
            res("/api/consultations/{slug}/close")
                .route(web::post().to(set_schedule::close_consultation)),
        )
        .service(res("/api/consultations/{slug}/charts/{file}").route(get(get_chart::get_chart)))
        .service(
            res("/api/consultations/{slug}/responses")
                .route(web::post().to(submit_response::submit_response)),
        )
        .service(res("/api/openapi.json").route(get(openapi::openapi_json)))
        // The members' survey.
        .service(res("/").route(get(home::home)))
        .service(res("/consultations/{slug}").route(get(start::start_page)))
        .service(
            res("/consultations/{slug}/start")
                .wrap(no_store())
                .route(web::post().to(start::begin))
                // A bookmarked or shared form address leads to the start page.
                .route(get(start::to_start_page)),
        )
        .service(
            res("/consultations/{slug}/i/{token}")
                .wrap(no_store())
                .route(get(invitation::redeem)),
        )
        .service(
            web::scope(private)
                .wrap(no_store())
                .service(res("").route(get(confirmation::resume)))
                .service(
                    res("/sections/{section}")
                        .route(get(section::show_section))
                        .route(web::post().to(section::save_section)),
                )
                .service(res("/check").route(get(check::check_answers)))
                .service(res("/submit").route(web::post().to(check::submit)))
                .service(res("/confirmation").route(get(confirmation::confirmation)))
                .service(res("/print").route(get(confirmation::print)))
                .service(res("/saved").route(get(confirmation::saved)))
                .service(
                    res("/withdraw")
                        .route(get(wd::withdraw_page))
                        .route(web::post().to(wd::withdraw)),
                ),
        )
        .service(
            res("/sign-in")
                .wrap(no_store())
                .route(get(sign_in::sign_in_page))
                .route(web::post().to(sign_in::sign_in)),
        )
        .service(
            res("/sign-out")
                .wrap(no_store())
                .route(get(sign_in::sign_out_page))
                .route(web::post().to(sign_in::sign_out)),
        )
        // Policy staff and researchers.
        .service(
            web::scope("/staff")
                .wrap(no_store())
                .service(res("").route(get(staff::index::index)))
                .service(res("/audit").route(get(staff::audit::audit)))
                .service(res("/{slug}").route(get(staff::dashboard::dashboard)))
                .service(res("/{slug}/questions/{question}").route(get(staff::question::question))),
        )
        .service(
            res("/research")
                .wrap(no_store())
                .route(get(research::research)),
        )
        .service(
            res("/research/{slug}/identified-export")
                .wrap(no_store())
                .route(web::post().to(research::identified_export)),
        )
        .service(Files::new(
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
