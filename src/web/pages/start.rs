use super::form::Form;
use super::render::{page, see_other};
use super::{PageError, csrf, first_section, require_open};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web::Data, web::Path, web::Payload, web::block};
use askama::Template;

#[derive(Template)]
#[template(path = "start.html", config = "frontend/askama.toml")]
struct Start {
    slug: String,
    title: String,
    summary: String,
    organisation: String,
    sections: Vec<String>,
    open: bool,
    invite_only: bool,
    csrf_token: String,
}

pub async fn start_page(
    req: HttpRequest,
    state: Data<AppState>,
    slug: Path<String>,
) -> Result<HttpResponse, PageError> {
    let loaded = state.consultation(&slug)?;
    let (csrf_token, cookie) = csrf::ensure(&req);
    let d = &loaded.definition;
    let open = crate::web::schedule::is_open(&state, &loaded).await?;
    let t = Start {
        slug: d.slug.to_string(),
        title: d.title.clone(),
        summary: d.summary.clone().unwrap_or_default(),
        organisation: d.organisation.clone().unwrap_or_default(),
        sections: d.sections.iter().map(|s| s.title.clone()).collect(),
        open,
        invite_only: d.invite_only,
        csrf_token,
    };
    page(&t, StatusCode::OK, cookie)
}

/// "Start now": a new draft behind a new private link.
pub async fn begin(
    req: HttpRequest,
    state: Data<AppState>,
    slug: Path<String>,
    payload: Payload,
) -> Result<HttpResponse, PageError> {
    let loaded = state.consultation(&slug)?;
    Form::read(&req, payload).await?;
    require_open(&state, &loaded).await?;
    if loaded.definition.invite_only {
        return Err(PageError::InviteOnly);
    }
    let store = state.store.clone();
    let id = loaded.stored.id;
    let token = block(move || store.create_draft(id)).await??;
    Ok(see_other(&first_section(&slug, &token, &loaded.definition)))
}

/// `GET …/start`: the form's address, bookmarked or shared; its page is the
/// start page.
pub async fn to_start_page(slug: Path<String>) -> HttpResponse {
    let slug: String = form_urlencoded::byte_serialize(slug.as_bytes()).collect();
    see_other(&format!("/consultations/{slug}"))
}
