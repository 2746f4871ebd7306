use super::PageError;
use super::render::page;
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web::Data};
use askama::Template;

pub struct Item {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "home.html", config = "frontend/askama.toml")]
struct Home {
    items: Vec<Item>,
}

pub async fn home(state: Data<AppState>) -> Result<HttpResponse, PageError> {
    let mut items = Vec::new();
    for l in state.catalogue.all() {
        items.push(Item {
            slug: l.definition.slug.to_string(),
            title: l.definition.title.clone(),
            summary: l.definition.summary.clone().unwrap_or_default(),
            open: crate::web::schedule::is_open(&state, l).await?,
        });
    }
    page(&Home { items }, StatusCode::OK, None)
}
