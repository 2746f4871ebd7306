//! CSRF protection for HTML forms: a random token in a same-site cookie
//! that every form must echo in a hidden field (double submit).
use crate::web::AppState;
use crate::web::site;
use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::web::Data;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;

pub const COOKIE: &str = "consult_csrf";
pub const FIELD: &str = "csrf_token";

/// 32 random bytes in base64url.
const TOKEN_LENGTH: usize = 43;

/// The request's token, and a cookie to set when it had none.
pub fn ensure(req: &HttpRequest) -> (String, Option<Cookie<'static>>) {
    if let Some(c) = req
        .cookie(COOKIE)
        .filter(|c| c.value().len() == TOKEN_LENGTH)
    {
        return (c.value().to_owned(), None);
    }
    let bytes: [u8; 32] = rand::rng().random();
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let secure = secure(req);
    let cookie = Cookie::build(COOKIE, token.clone())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish();
    (token, Some(cookie))
}

/// Whether cookies set for `req` should be `Secure`: over HTTPS, as the
/// configured public URL says or else the request.
pub fn secure(req: &HttpRequest) -> bool {
    let state = req.app_data::<Data<AppState>>();
    site::is_https(state.and_then(|s| s.public_url.as_ref()), req)
}

/// Whether the form's token matches the cookie (compared in constant
/// time). Only a token of the length `ensure` makes can match: an empty
/// cookie and an empty field, which another site can arrange, never do.
pub fn verify(req: &HttpRequest, form_token: Option<&str>) -> bool {
    let (Some(cookie), Some(sent)) = (req.cookie(COOKIE), form_token) else {
        return false;
    };
    let (a, b) = (cookie.value().as_bytes(), sent.as_bytes());
    a.len() == TOKEN_LENGTH
        && b.len() == TOKEN_LENGTH
        && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
