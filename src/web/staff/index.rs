use crate::web::AppState;
use crate::web::auth::{self as auth, Need};
use crate::web::pages::PageError;
use crate::web::pages::render::page;
use actix_web::http::StatusCode;
use actix_web::web::{Data, block};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

pub struct Row {
    pub slug: String,
    pub title: String,
    pub responses: i64,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "staff/index.html", config = "frontend/askama.toml")]
struct Index {
    rows: Vec<Row>,
}

/// Every consultation with its number of responses.
pub async fn index(state: Data<AppState>, req: HttpRequest) -> Result<HttpResponse, PageError> {
    auth::page(&state, &req, Need::Staff).await?;
    let store = state.store.clone();
    let summaries = block(move || store.list_consultations()).await??;
    let mut rows = Vec::new();
    for l in state.catalogue.all() {
        rows.push(Row {
            slug: l.definition.slug.to_string(),
            title: l.definition.title.clone(),
            responses: summaries
                .iter()
                .find(|s| s.slug == l.definition.slug.as_str())
                .map_or(0, |s| s.responses),
            open: crate::web::schedule::is_open(&state, l).await?,
        });
    }
    page(&Index { rows }, StatusCode::OK, None)
}
