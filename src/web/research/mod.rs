//! The researchers' page: every consultation's anonymised downloads with
//! what was done to protect respondents, and for administrators the
//! identified download.
use super::api::export_access;
use super::api::get_export::{Params, download};
use super::auth::{self as auth, Need};
use super::pages::PageError;
use super::pages::csrf;
use super::pages::form::Form;
use super::pages::render::page;
use crate::export::formats::Format;
use crate::export::release::{DEFAULT_K, Options};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, Payload, block};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

pub struct Entry {
    pub slug: String,
    pub title: String,
    pub rows_stored: usize,
    pub rows_released: usize,
    pub suppressed_rows: usize,
    pub min_k: String,
    pub k: usize,
    pub generalised: Vec<String>,
    pub withheld: Vec<String>,
    pub scrubbed: u64,
}

#[derive(Template)]
#[template(path = "research.html", config = "frontend/askama.toml")]
struct Research {
    entries: Vec<Entry>,
    /// Whether to offer the identified download.
    admin: bool,
    csrf_token: String,
}

pub async fn research(state: Data<AppState>, req: HttpRequest) -> Result<HttpResponse, PageError> {
    let user = auth::page(&state, &req, Need::Research).await?;
    let mut entries = Vec::new();
    for loaded in state.catalogue.all() {
        let (s, l) = (state.clone(), loaded.clone());
        let d = block(move || {
            s.disclosures
                .get(&s.store, &l.definition, l.stored, &Options::default())
        })
        .await??;
        entries.push(Entry {
            slug: loaded.definition.slug.to_string(),
            title: loaded.definition.title.clone(),
            rows_stored: d.rows_stored,
            rows_released: d.rows_released,
            suppressed_rows: d.suppressed_rows,
            min_k: d.min_k.map_or_else(|| "–".into(), |m| m.to_string()),
            k: DEFAULT_K,
            generalised: d
                .generalised
                .iter()
                .map(|g| format!("{}: {}", g.question, g.label))
                .collect(),
            withheld: d.suppressed_columns.clone(),
            scrubbed: d.scrubbed.total(),
        });
    }
    let (csrf_token, cookie) = csrf::ensure(&req);
    let t = Research {
        entries,
        admin: auth::allowed(&user, Need::Admin),
        csrf_token,
    };
    page(&t, StatusCode::OK, cookie)
}

/// An administrator's download of everything as stored. A form post with
/// its CSRF token, never a link: a link on another site could otherwise
/// make a signed-in browser fetch personal data in the administrator's
/// name.
pub async fn identified_export(
    state: Data<AppState>,
    req: HttpRequest,
    slug: Path<String>,
    payload: Payload,
) -> Result<HttpResponse, actix_web::Error> {
    let form = Form::read(&req, payload).await?;
    let user = auth::page(&state, &req, Need::Admin)
        .await
        .map_err(|e| match e {
            // Back to the form after signing in, not to this address.
            PageError::SignIn(_) => PageError::SignIn("/research".into()),
            other => other,
        })?;
    let format = form.get("format").unwrap_or_default();
    let p = Params::identified(
        Format::parse(format)
            .ok_or_else(|| PageError::BadRequest(format!("no format '{format}'")))?,
    );
    state.consultation(&slug).map_err(PageError::from)?;
    let what = format!("{slug}: format={format}&identified=true (research page)");
    export_access::audit(&state, &user, what).await?;
    Ok(download(&state, &slug, &p).await?)
}
