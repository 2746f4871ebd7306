use crate::analysis::headline::sentence;
use crate::analysis::{RawSpec, Spec};
use crate::charts::Kind;
use crate::domain::{Privacy, QuestionKind};
use crate::export::table::{Table, table};
use crate::web::AppState;
use crate::web::auth::{self as auth, Need};
use crate::web::pages::PageError;
use crate::web::pages::render::page;
use crate::web::pages::view::ErrorLink;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, block};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct FilterField {
    pub id: String,
    pub label: String,
    pub choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "staff/question.html", config = "frontend/askama.toml")]
struct QuestionPage {
    slug: String,
    title: String,
    question_id: String,
    question_text: String,
    by: Vec<Choice>,
    filters: Vec<FilterField>,
    from: String,
    to: String,
    errors: Vec<ErrorLink>,
    headline: Option<String>,
    table: Option<Table>,
    chart_alt: String,
    /// The breakdown's query string, for the chart and downloads.
    query: String,
    chart_kind: &'static str,
}

/// The form's fields: `by`, `f_<question>` (one code or empty), `from`, `to`.
struct Form {
    by: String,
    filters: Vec<(String, String)>,
    from: String,
    to: String,
}

fn read_form(query: &str) -> Form {
    let mut f = Form {
        by: "stakeholder_group".into(),
        filters: Vec::new(),
        from: String::new(),
        to: String::new(),
    };
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        match (k.as_ref(), v.into_owned()) {
            ("by", v) if !v.is_empty() => f.by = v,
            ("from", v) => f.from = v,
            ("to", v) => f.to = v,
            (k, v) if k.starts_with("f_") && !v.is_empty() => {
                f.filters.push((k["f_".len()..].to_owned(), v))
            }
            _ => {}
        }
    }
    f
}

/// One question broken down by a chosen field, with filters, its table,
/// chart, headline and downloads.
pub async fn question(
    state: Data<AppState>,
    path: Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    auth::page(&state, &req, Need::Staff).await?;
    let (slug, question_id) = path.into_inner();
    let loaded = state.consultation(&slug)?;
    let snapshot = crate::web::snapshot(&state, &loaded).await?;
    let c = &loaded.definition;
    let q = c
        .question(&question_id)
        .filter(|q| !matches!(q.kind, QuestionKind::FreeText { .. }))
        .ok_or(PageError::NotFound)?
        .clone();
    let form = read_form(req.query_string());
    let raw = RawSpec {
        question: Some(question_id.clone()),
        by: Some(form.by.clone()),
        filters: form
            .filters
            .iter()
            .map(|(q, code)| format!("{q}:{code}"))
            .collect(),
        from: Some(form.from.clone()).filter(|s| !s.is_empty()),
        to: Some(form.to.clone()).filter(|s| !s.is_empty()),
    };
    let (errors, result) = match Spec::parse(c, &raw) {
        Err(errors) => (errors, None),
        Ok(spec) => {
            let s2 = snapshot.clone();
            let b = block(move || s2.breakdown(spec))
                .await?
                .map_err(PageError::internal)?;
            (Vec::new(), Some(b))
        }
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let errors = errors
        .into_iter()
        .map(|e| ErrorLink {
            href: format!(
                "#{}",
                if e.field == "filter" {
                    "filters"
                } else {
                    e.field.as_str()
                }
            ),
            message: e.message,
        })
        .collect();
    let single = |id: &str, selected: &str| -> Vec<Choice> {
        c.question(id)
            .map(|fq| {
                fq.options()
                    .iter()
                    .map(|o| Choice {
                        value: o.code.to_string(),
                        label: o.label.clone(),
                        selected: o.code.as_str() == selected,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let by = c
        .questions()
        .filter(|x| matches!(x.kind, QuestionKind::SingleChoice { .. }) && x.id != q.id)
        .map(|x| Choice {
            value: x.id.to_string(),
            label: x.text.clone(),
            selected: x.id.as_str() == form.by,
        })
        .collect();
    let filters = c
        .questions()
        .filter(|x| x.privacy == Privacy::QuasiIdentifier)
        .map(|x| {
            let chosen = form
                .filters
                .iter()
                .find(|(id, _)| id == x.id.as_str())
                .map_or("", |(_, code)| code.as_str());
            FilterField {
                id: x.id.to_string(),
                label: x.text.clone(),
                choices: single(x.id.as_str(), chosen),
            }
        })
        .collect();
    let mut api_query = form_urlencoded::Serializer::new(String::new());
    api_query.append_pair("by", &form.by);
    for f in &raw.filters {
        api_query.append_pair("filter", f);
    }
    for (k, v) in [("from", &form.from), ("to", &form.to)] {
        if !v.is_empty() {
            api_query.append_pair(k, v);
        }
    }
    let headline = match (&q.headline, &result) {
        (Some(h), Some(b))
            if form.filters.is_empty() && form.from.is_empty() && form.to.is_empty() =>
        {
            sentence(b, h).map(|s| s.sentence)
        }
        _ => None,
    };
    page(
        &QuestionPage {
            title: c.title.clone(),
            question_text: q.text.clone(),
            chart_alt: format!("Chart of the answers to the question “{}”", q.text),
            slug,
            question_id,
            by,
            filters,
            from: form.from,
            to: form.to,
            errors,
            headline,
            table: result.as_ref().map(table),
            query: api_query.finish(),
            chart_kind: Kind::default_for(q.question_type()).as_str(),
        },
        status,
        None,
    )
}
