use crate::analysis::frame::by_week;
use crate::analysis::headline::headlines;
use crate::analysis::{RawSpec, Snapshot, Spec};
use crate::domain::{Consultation, Privacy, QuestionKind};
use crate::export::quotes::{ATTRIBUTED_BY, Quotes};
use crate::export::text_section::{TextSection, text_questions, text_section};
use crate::web::AppState;
use crate::web::auth::{self as auth, Need};
use crate::web::pages::PageError;
use crate::web::pages::render::page;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, block};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

pub struct Count {
    pub label: String,
    pub count: u64,
    pub percent: String,
}

pub struct WhoAnswered {
    pub question: String,
    pub counts: Vec<Count>,
}

pub struct Week {
    pub starting: String,
    pub count: u64,
    /// Bar width for the inline chart, 0–100.
    pub width: u64,
}

pub struct Link {
    pub id: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "staff/dashboard.html", config = "frontend/askama.toml")]
struct Dashboard {
    slug: String,
    title: String,
    responses: u64,
    headlines: Vec<String>,
    profiles: Vec<WhoAnswered>,
    weeks: Vec<Week>,
    /// Responses before the first week shown.
    earlier: u64,
    questions: Vec<Link>,
    /// The codable free-text questions, by stakeholder group.
    texts: Vec<TextSection>,
}

/// Every codable free-text question by stakeholder group, with quotes;
/// none when the consultation has no stakeholder_group to count by.
fn texts(
    c: &Consultation,
    snapshot: &Snapshot,
    quotes: &Quotes,
) -> Result<Vec<TextSection>, crate::analysis::AnalysisError> {
    let mut out = Vec::new();
    for q in text_questions(c) {
        let raw = RawSpec {
            question: Some(q.id.to_string()),
            by: Some(ATTRIBUTED_BY.to_owned()),
            ..RawSpec::default()
        };
        if let Ok(spec) = Spec::parse(c, &raw) {
            out.push(text_section(snapshot, spec, quotes)?.0);
        }
    }
    Ok(out)
}

/// Most weeks the table shows: two years.
const MAX_WEEKS: usize = 104;

/// One consultation at a glance: responses, who answered and when, the
/// headline findings, a link to every closed question, and every coded
/// free-text question's themes by group with their quotes.
pub async fn dashboard(
    state: Data<AppState>,
    slug: Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    auth::page(&state, &req, Need::Staff).await?;
    let loaded = state.consultation(&slug)?;
    let snapshot = crate::web::snapshot(&state, &loaded).await?;
    let (l2, s2, store) = (loaded.clone(), snapshot.clone(), state.store.clone());
    let (sentences, (weeks, earlier), texts) = block(move || {
        let quotes = crate::export::quotes::quotes(&store, &l2.definition, l2.stored.id)?;
        Ok::<_, crate::web::error::Cause>((
            headlines(&l2.definition, &s2.frame)?,
            by_week(&s2.frame, MAX_WEEKS)?,
            texts(&l2.definition, &s2, &quotes)?,
        ))
    })
    .await?
    .map_err(PageError::Internal)?;
    let c = &loaded.definition;
    let tally = &snapshot.tally;
    // Who answered: the questions that describe respondents.
    let profiles = c
        .questions()
        .filter(|q| q.privacy == Privacy::QuasiIdentifier)
        .filter_map(|q| tally.question(q.id.as_str()).map(|t| (q, t)))
        .map(|(q, t)| WhoAnswered {
            question: q.text.clone(),
            counts: t
                .options
                .iter()
                .map(|o| Count {
                    label: o.label.clone(),
                    count: o.count,
                    percent: crate::analysis::stats::percent(o.count, t.answered)
                        .map_or_else(|| "–".into(), |p| format!("{p:.0}%")),
                })
                .collect(),
        })
        .collect();
    let most = weeks.iter().map(|w| w.1).max().unwrap_or(0).max(1);
    let weeks = weeks
        .into_iter()
        .map(|(monday, count)| Week {
            starting: monday.format("%-d %b %Y").to_string(),
            count,
            width: count * 100 / most,
        })
        .collect();
    let questions = c
        .questions()
        .filter(|q| !matches!(q.kind, QuestionKind::FreeText { .. }))
        .filter(|q| q.privacy != Privacy::QuasiIdentifier)
        .map(|q| Link {
            id: q.id.to_string(),
            text: q.text.clone(),
        })
        .collect();
    page(
        &Dashboard {
            slug: slug.into_inner(),
            title: c.title.clone(),
            responses: tally.responses,
            headlines: sentences.into_iter().map(|h| h.sentence).collect(),
            profiles,
            weeks,
            earlier,
            questions,
            texts,
        },
        StatusCode::OK,
        None,
    )
}
