//! Signing in and out for staff, researchers and administrators. A session
//! is a random secret in an HttpOnly cookie, stored only as a hash, that
//! expires after eight hours.
use super::form::Form;
use super::render::{page, see_other};
use super::view::ErrorLink;
use super::{PageError, csrf};
use crate::domain::accounts::{Email, verify_password, verify_without_account};
use crate::domain::tokens::AccessToken;
use crate::storage::{Credentials, User};
use crate::web::AppState;
use crate::web::auth::SESSION_COOKIE;
use crate::web::local_path::LocalPath;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::StatusCode;
use actix_web::web::{Data, Payload, block};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

const SESSION_HOURS: i64 = 8;

#[derive(Template)]
#[template(path = "sign_in.html", config = "frontend/askama.toml")]
struct SignIn {
    csrf_token: String,
    next: LocalPath,
    email: String,
    errors: Vec<ErrorLink>,
}

#[derive(Template)]
#[template(path = "sign_out.html", config = "frontend/askama.toml")]
struct SignOut {
    csrf_token: String,
}

fn query_next(req: &HttpRequest) -> LocalPath {
    let next = form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "next")
        .map(|(_, v)| v.into_owned());
    LocalPath::or_staff(next.as_deref())
}

enum Outcome {
    SignedIn(User),
    Refused,
    /// Too many wrong passwords: wait this many seconds.
    Waiting(u64),
}

/// Checks the password. An address with no account costs a password check
/// and counts failures as an account does, so that the answer and its
/// timing are the same whether or not the account exists.
async fn authenticate(
    state: &Data<AppState>,
    email_text: &str,
    password: String,
) -> Result<Outcome, PageError> {
    let store = state.store.clone();
    let found = match Email::parse(email_text) {
        Ok(e) => block(move || store.user_by_email(e.as_str())).await??,
        Err(_) => None,
    };
    let Some(Credentials {
        user,
        password_hash: hash,
        locked_until,
    }) = found
    else {
        let key = email_text.to_lowercase();
        if let Some(wait) = state.limits.unknown_accounts.waiting(&key) {
            return Ok(Outcome::Waiting(wait));
        }
        block(move || verify_without_account(&password)).await?;
        state.limits.unknown_accounts.failed(&key);
        return Ok(Outcome::Refused);
    };
    let now = chrono::Utc::now().naive_utc();
    if let Some(until) = locked_until.filter(|u| *u > now) {
        return Ok(Outcome::Waiting((until - now).num_seconds().max(1) as u64));
    }
    let store = state.store.clone();
    let id = user.id.clone();
    // Argon2 takes tens of milliseconds of CPU: off the request threads.
    let right = block(move || verify_password(&password, &hash)).await?;
    if right {
        block(move || store.sign_in_succeeded(&id)).await??;
        Ok(Outcome::SignedIn(user))
    } else {
        block(move || store.sign_in_failed(&id)).await??;
        Ok(Outcome::Refused)
    }
}

pub async fn sign_in_page(req: HttpRequest) -> Result<HttpResponse, PageError> {
    let (csrf_token, cookie) = csrf::ensure(&req);
    let t = SignIn {
        csrf_token,
        next: query_next(&req),
        email: String::new(),
        errors: Vec::new(),
    };
    page(&t, StatusCode::OK, cookie)
}

pub async fn sign_in(
    req: HttpRequest,
    state: Data<AppState>,
    payload: Payload,
) -> Result<HttpResponse, PageError> {
    state
        .limits
        .sign_in(&req)
        .map_err(|r| PageError::TooMany(r.0))?;
    let form = Form::read(&req, payload).await?;
    let next = LocalPath::or_staff(form.get("next"));
    let email_text = form.get("email").unwrap_or_default().trim().to_owned();
    let password = form.get("password").unwrap_or_default().to_owned();
    let mut errors = Vec::new();
    if email_text.is_empty() {
        errors.push(ErrorLink {
            href: "#email".into(),
            message: "Enter your email address".into(),
        });
    }
    if password.is_empty() {
        errors.push(ErrorLink {
            href: "#password".into(),
            message: "Enter your password".into(),
        });
    }
    if errors.is_empty() {
        match authenticate(&state, &email_text, password).await? {
            Outcome::Waiting(seconds) => return Err(PageError::TooMany(seconds)),
            Outcome::SignedIn(user) => return start_session(&state, &req, user, &next).await,
            Outcome::Refused => {}
        }
        // The same answer whether the account or the password was wrong.
        errors.push(ErrorLink {
            href: "#email".into(),
            message: "The email address or password is not right".into(),
        });
    }
    let (csrf_token, cookie) = csrf::ensure(&req);
    let t = SignIn {
        csrf_token,
        next,
        email: email_text,
        errors,
    };
    page(&t, StatusCode::UNAUTHORIZED, cookie)
}

/// A new session's cookie, and on to `next`.
async fn start_session(
    state: &Data<AppState>,
    req: &HttpRequest,
    user: User,
    next: &LocalPath,
) -> Result<HttpResponse, PageError> {
    let token = AccessToken::generate();
    let expires = chrono::Utc::now().naive_utc() + chrono::Duration::hours(SESSION_HOURS);
    let (store, hash) = (state.store.clone(), token.hash());
    block(move || store.create_session(&user.id, &hash, expires)).await??;
    let cookie = Cookie::build(SESSION_COOKIE, token.as_str().to_owned())
        .path("/")
        .http_only(true)
        .secure(csrf::secure(req))
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::hours(SESSION_HOURS))
        .finish();
    let mut r = see_other(next.as_str());
    r.add_cookie(&cookie).map_err(PageError::internal)?;
    Ok(r)
}

pub async fn sign_out_page(req: HttpRequest) -> Result<HttpResponse, PageError> {
    let (csrf_token, cookie) = csrf::ensure(&req);
    page(&SignOut { csrf_token }, StatusCode::OK, cookie)
}

pub async fn sign_out(
    req: HttpRequest,
    state: Data<AppState>,
    payload: Payload,
) -> Result<HttpResponse, PageError> {
    Form::read(&req, payload).await?;
    if let Some(token) = req
        .cookie(SESSION_COOKIE)
        .and_then(|c| AccessToken::parse(c.value()))
    {
        let store = state.store.clone();
        block(move || store.end_session(&token.hash())).await??;
    }
    let mut r = see_other("/");
    let mut gone = Cookie::build(SESSION_COOKIE, "").path("/").finish();
    gone.make_removal();
    r.add_cookie(&gone).map_err(PageError::internal)?;
    Ok(r)
}
