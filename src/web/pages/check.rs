use super::form::Form;
use super::render::{page, see_other};
use super::view::{ErrorLink, SectionSummary, sentence, summary};
use super::{PageError, PrivateLink, csrf, load_draft, private_path, require_open};
use crate::domain::answers::{Answers, Mode, validate};
use crate::domain::{Consultation, FieldError};
use crate::storage::{Channel, Draft, NewSubmission};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web::Data, web::Path, web::Payload, web::block};
use askama::Template;

#[derive(Template)]
#[template(path = "check.html", config = "frontend/askama.toml")]
struct CheckPage {
    consultation_title: String,
    base: String,
    sections: Vec<SectionSummary>,
    errors: Vec<ErrorLink>,
    already_submitted: bool,
    csrf_token: String,
}

/// The whole draft checked as one response; answers that no longer apply
/// (an earlier choice changed) are dropped.
fn check(c: &Consultation, draft: &Draft) -> Result<Answers, Vec<FieldError>> {
    validate(
        c,
        &draft.answers,
        None,
        &Answers::default(),
        Mode::DropInapplicable,
    )
}

fn render(
    req: &HttpRequest,
    c: &Consultation,
    draft: &Draft,
    base: &str,
) -> Result<HttpResponse, PageError> {
    let (csrf_token, cookie) = csrf::ensure(req);
    let (answers, errors) = match check(c, draft) {
        Ok(a) => (a, Vec::new()),
        Err(errors) => (
            crate::domain::answers::from_json_lenient(c, &draft.answers),
            errors,
        ),
    };
    let errors: Vec<ErrorLink> = errors
        .iter()
        .map(|e| {
            let section = c
                .sections
                .iter()
                .find(|s| s.questions.iter().any(|q| q.id.as_str() == e.field))
                .map_or_else(String::new, |s| s.id.to_string());
            let text = c
                .question(&e.field)
                .map_or(e.field.as_str(), |q| q.text.as_str());
            ErrorLink {
                href: format!("{base}/sections/{section}?return=check#{}", e.field),
                message: format!("{} – {}", sentence(&e.message), text),
            }
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let t = CheckPage {
        consultation_title: c.title.clone(),
        base: base.to_owned(),
        sections: summary(c, &answers),
        errors,
        already_submitted: draft.response_id.is_some(),
        csrf_token,
    };
    page(&t, status, cookie)
}

pub async fn check_answers(
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
    require_open(&state, &loaded).await?;
    let html = render(
        &req,
        &loaded.definition,
        &draft,
        &private_path(&slug, &token),
    )?;
    // A check page with errors is still a normal page to arrive at.
    let mut html = html;
    *html.status_mut() = StatusCode::OK;
    Ok(html)
}

pub async fn submit(
    req: HttpRequest,
    state: Data<AppState>,
    path: Path<(String, String)>,
    payload: Payload,
) -> Result<HttpResponse, PageError> {
    state
        .limits
        .submission(&req)
        .map_err(|r| PageError::TooMany(r.0))?;
    Form::read(&req, payload).await?;
    let (slug, token) = path.into_inner();
    let (loaded, draft, token) = load_draft(&state, &slug, &token).await?;
    require_open(&state, &loaded).await?;
    let base = private_path(&slug, &token);
    let Ok(answers) = check(&loaded.definition, &draft) else {
        return render(&req, &loaded.definition, &draft, &base);
    };
    let store = state.store.clone();
    let stored = loaded.stored;
    block(move || {
        store.submit_draft(
            &draft,
            &NewSubmission {
                consultation: stored,
                submission_id: None,
                answers: &answers,
                channel: Channel::Web,
                submitted_at: None,
            },
        )
    })
    .await??;
    Ok(see_other(&format!("{base}/confirmation")))
}
