use super::form::Form;
use super::render::{page, see_other};
use super::view::{ErrorLink, QuestionView, section_questions, sentence};
use super::{PageError, csrf, load_draft, private_path, require_open};
use crate::domain::answers::{Mode, from_json_lenient, validate};
use crate::domain::{Consultation, FieldError};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{
    HttpRequest, HttpResponse, web::Data, web::Path, web::Payload, web::Query, web::block,
};
use askama::Template;
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Template)]
#[template(path = "section.html", config = "frontend/askama.toml")]
struct SectionPage {
    consultation_title: String,
    title: String,
    intro: String,
    number: usize,
    total: usize,
    back: String,
    action: String,
    questions: Vec<QuestionView>,
    errors: Vec<ErrorLink>,
    return_to_check: bool,
    csrf_token: String,
}

#[derive(Deserialize)]
pub struct Params {
    #[serde(rename = "return")]
    return_to: Option<String>,
}

fn section_index(c: &Consultation, id: &str) -> Result<usize, PageError> {
    c.section_index(id).ok_or(PageError::NotFound)
}

#[allow(clippy::too_many_arguments)]
fn render_section(
    req: &HttpRequest,
    c: &Consultation,
    si: usize,
    base: &str,
    raw: &Map<String, Value>,
    context: &crate::domain::Answers,
    errors: Vec<FieldError>,
    return_to_check: bool,
) -> Result<HttpResponse, PageError> {
    let (csrf_token, cookie) = csrf::ensure(req);
    let s = &c.sections[si];
    let back = match si {
        0 => format!("/consultations/{}", c.slug),
        _ => format!("{base}/sections/{}", c.sections[si - 1].id),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let questions = section_questions(c, si, raw, context, &errors);
    let errors = errors
        .into_iter()
        .map(|e| {
            let text = c
                .question(&e.field)
                .map_or(String::new(), |q| format!("{} – ", q.text));
            ErrorLink {
                href: format!("#{}", e.field),
                message: format!("{text}{}", sentence(&e.message)),
            }
        })
        .collect();
    let t = SectionPage {
        consultation_title: c.title.clone(),
        title: s.title.clone(),
        intro: s.intro.clone().unwrap_or_default(),
        number: si + 1,
        total: c.sections.len(),
        back: if return_to_check {
            format!("{base}/check")
        } else {
            back
        },
        action: format!("{base}/sections/{}", s.id),
        questions,
        errors,
        return_to_check,
        csrf_token,
    };
    page(&t, status, cookie)
}

pub async fn show_section(
    req: HttpRequest,
    state: Data<AppState>,
    path: Path<(String, String, String)>,
    query: Query<Params>,
) -> Result<HttpResponse, PageError> {
    let (slug, token, section) = path.into_inner();
    let (loaded, draft, token) = load_draft(&state, &slug, &token).await?;
    require_open(&state, &loaded).await?;
    let c = &loaded.definition;
    let si = section_index(c, &section)?;
    let context = from_json_lenient(c, &draft.answers);
    let base = private_path(&slug, &token);
    let back_to_check = query.return_to.as_deref() == Some("check");
    render_section(
        &req,
        c,
        si,
        &base,
        &draft.answers,
        &context,
        Vec::new(),
        back_to_check,
    )
}

pub async fn save_section(
    req: HttpRequest,
    state: Data<AppState>,
    path: Path<(String, String, String)>,
    payload: Payload,
) -> Result<HttpResponse, PageError> {
    let form = Form::read(&req, payload).await?;
    let (slug, token, section) = path.into_inner();
    let (loaded, draft, token) = load_draft(&state, &slug, &token).await?;
    require_open(&state, &loaded).await?;
    let c = &loaded.definition;
    let si = section_index(c, &section)?;
    let base = private_path(&slug, &token);
    let raw = form.section_answers(c, si);
    let mut prior = from_json_lenient(c, &draft.answers);
    for q in &c.sections[si].questions {
        prior.remove(q.id.as_str());
    }
    let return_to_check = form.get("return_to") == Some("check");
    let saving_only = form.get("action") == Some("save");
    // An answer to a follow-up that does not apply is pointed out, never
    // dropped: without the script, every follow-up is on the page.
    let section_answers = match validate(c, &raw, Some(&[si]), &prior, Mode::Strict) {
        Ok(a) => a,
        // "Save and come back later" keeps an unfinished section, but
        // never drops what was typed: an answer that cannot be kept as it
        // is (too long, not an email address, a follow-up that does not
        // apply) is shown with its error. Only unanswered questions wait.
        Err(errors) if saving_only => {
            let wrong: Vec<_> = errors
                .into_iter()
                .filter(|e| given(&raw, &e.field))
                .collect();
            if !wrong.is_empty() {
                return render_section(&req, c, si, &base, &raw, &prior, wrong, return_to_check);
            }
            from_json_lenient(c, &raw)
        }
        Err(errors) => {
            return render_section(&req, c, si, &base, &raw, &prior, errors, return_to_check);
        }
    };
    let mut merged = prior.to_json();
    merged.extend(section_answers.to_json());
    let store = state.store.clone();
    let draft_id = draft.id;
    block(move || store.save_draft(draft_id, &merged)).await??;
    let next = if saving_only {
        format!("{base}/saved")
    } else if return_to_check || si + 1 == c.sections.len() {
        format!("{base}/check")
    } else {
        format!("{base}/sections/{}", c.sections[si + 1].id)
    };
    Ok(see_other(&next))
}

/// Whether the member gave something for `field` (not blank).
fn given(raw: &Map<String, Value>, field: &str) -> bool {
    match raw.get(field) {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}
