//! Withdrawing a response: with the private link and the receipt
//! reference, a member deletes their response for good.
use super::form::Form;
use super::render::page;
use super::view::ErrorLink;
use super::{PageError, PrivateLink, csrf, load_draft, private_path};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, Payload, block};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

#[derive(Template)]
#[template(path = "withdraw.html", config = "frontend/askama.toml")]
struct Withdraw {
    consultation_title: String,
    base: String,
    csrf_token: String,
    errors: Vec<ErrorLink>,
}

#[derive(Template)]
#[template(path = "message.html", config = "frontend/askama.toml")]
struct Withdrawn<'a> {
    title: &'a str,
    body: &'a str,
}

pub async fn withdraw_page(req: HttpRequest, link: PrivateLink) -> Result<HttpResponse, PageError> {
    let PrivateLink {
        slug,
        loaded,
        draft,
        token,
    } = link;
    if draft.response_id.is_none() {
        return Err(PageError::NotFound);
    }
    let (csrf_token, cookie) = csrf::ensure(&req);
    let t = Withdraw {
        consultation_title: loaded.definition.title.clone(),
        base: private_path(&slug, &token),
        csrf_token,
        errors: Vec::new(),
    };
    page(&t, StatusCode::OK, cookie)
}

pub async fn withdraw(
    req: HttpRequest,
    state: Data<AppState>,
    path: Path<(String, String)>,
    payload: Payload,
) -> Result<HttpResponse, PageError> {
    let form = Form::read(&req, payload).await?;
    let (slug, token) = path.into_inner();
    let (loaded, draft, token) = load_draft(&state, &slug, &token).await?;
    let Some(response_id) = draft.response_id else {
        return Err(PageError::NotFound);
    };
    let receipt = form.get("receipt").unwrap_or_default().trim().to_owned();
    let store = state.store.clone();
    let given = receipt.clone();
    let deleted =
        !receipt.is_empty() && block(move || store.withdraw(response_id, &given)).await??;
    if deleted {
        let t = Withdrawn {
            title: "Your response has been withdrawn",
            body: "Your answers have been deleted and will not be counted or included in any results. Your private link no longer works.",
        };
        return page(&t, StatusCode::OK, None);
    }
    let (csrf_token, cookie) = csrf::ensure(&req);
    let message = if receipt.is_empty() {
        "Enter your reference number"
    } else {
        "The reference number does not match this response"
    };
    let t = Withdraw {
        consultation_title: loaded.definition.title.clone(),
        base: private_path(&slug, &token),
        csrf_token,
        errors: vec![ErrorLink {
            href: "#receipt".into(),
            message: message.into(),
        }],
    };
    page(&t, StatusCode::UNPROCESSABLE_ENTITY, cookie)
}
