use super::render::{page, see_other};
use super::view::{SectionSummary, summary};
use super::{PageError, PrivateLink, private_path};
use crate::domain::answers::from_json_lenient;
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web::Data};
use askama::Template;

/// The private link in full, for the member to keep: from the configured
/// public URL, so that a forged `Host` cannot point it elsewhere.
fn full_link(state: &AppState, req: &HttpRequest, path: &str) -> String {
    crate::web::site::link(state.public_url.as_ref(), req, path)
}

/// The private link itself: submitted responses go to their answers,
/// drafts to where the member starts.
pub async fn resume(state: Data<AppState>, link: PrivateLink) -> Result<HttpResponse, PageError> {
    let PrivateLink {
        slug,
        loaded,
        draft,
        token,
    } = link;
    let base = private_path(&slug, &token);
    if draft.response_id.is_some() {
        let open = crate::web::schedule::is_open(&state, &loaded).await?;
        return Ok(see_other(&format!(
            "{base}/{}",
            if open { "check" } else { "print" }
        )));
    }
    let first = loaded
        .definition
        .sections
        .first()
        .map(|s| s.id.to_string())
        .unwrap_or_default();
    Ok(see_other(&format!("{base}/sections/{first}")))
}

#[derive(Template)]
#[template(path = "confirmation.html", config = "frontend/askama.toml")]
struct Confirmation {
    consultation_title: String,
    receipt: String,
    link: String,
    base: String,
}

pub async fn confirmation(
    req: HttpRequest,
    state: Data<AppState>,
    link: PrivateLink,
) -> Result<HttpResponse, PageError> {
    let PrivateLink {
        slug,
        loaded,
        draft,
        token,
    } = link;
    let receipt = draft.receipt.ok_or(PageError::NotFound)?;
    let base = private_path(&slug, &token);
    let t = Confirmation {
        consultation_title: loaded.definition.title.clone(),
        receipt,
        link: full_link(&state, &req, &base),
        base,
    };
    page(&t, StatusCode::OK, None)
}

#[derive(Template)]
#[template(path = "print.html", config = "frontend/askama.toml")]
struct Print {
    consultation_title: String,
    receipt: String,
    submitted: String,
    sections: Vec<SectionSummary>,
}

/// A printable copy of the member's answers.
pub async fn print(link: PrivateLink) -> Result<HttpResponse, PageError> {
    let PrivateLink { loaded, draft, .. } = link;
    let c = &loaded.definition;
    let answers = from_json_lenient(c, &draft.answers);
    let t = Print {
        consultation_title: c.title.clone(),
        receipt: draft.receipt.clone().unwrap_or_default(),
        submitted: draft
            .updated_at
            .format("%-d %B %Y at %H:%M UTC")
            .to_string(),
        sections: summary(c, &answers),
    };
    page(&t, StatusCode::OK, None)
}

#[derive(Template)]
#[template(path = "saved.html", config = "frontend/askama.toml")]
struct Saved {
    consultation_title: String,
    link: String,
}

pub async fn saved(
    req: HttpRequest,
    state: Data<AppState>,
    link: PrivateLink,
) -> Result<HttpResponse, PageError> {
    let PrivateLink {
        slug,
        loaded,
        token,
        ..
    } = link;
    let t = Saved {
        consultation_title: loaded.definition.title.clone(),
        link: full_link(&state, &req, &private_path(&slug, &token)),
    };
    page(&t, StatusCode::OK, None)
}
