//! The researchers' page: every consultation's anonymised downloads with
//! what was done to protect respondents.
use super::auth::{self as auth, Need};
use super::pages::PageError;
use super::pages::render::page;
use crate::export::release::{DEFAULT_K, Options};
use crate::export::release_stored;
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::web::{Data, block};
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
}

pub async fn research(state: Data<AppState>, req: HttpRequest) -> Result<HttpResponse, PageError> {
    auth::page(&state, &req, Need::Research).await?;
    let mut entries = Vec::new();
    for loaded in state.catalogue.all() {
        let store = state.store.clone();
        let l = loaded.clone();
        let d = block(move || -> Result<_, crate::storage::StorageError> {
            Ok(release_stored(&store, &l.definition, l.stored.id, &Options::default())?.disclosure)
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
    page(&Research { entries }, StatusCode::OK, None)
}
