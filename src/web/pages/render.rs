use super::error::PageError;
use actix_web::HttpResponse;
use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use askama::Template;

/// Renders a page with `status`, setting the CSRF cookie when one is new.
pub fn page(
    t: &impl Template,
    status: StatusCode,
    cookie: Option<Cookie<'static>>,
) -> Result<HttpResponse, PageError> {
    let html = t.render().map_err(PageError::internal)?;
    let mut resp = HttpResponse::build(status);
    resp.content_type("text/html; charset=utf-8");
    if let Some(c) = cookie {
        resp.cookie(c);
    }
    Ok(resp.body(html))
}

/// 303 See Other: where a form post goes next.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}
