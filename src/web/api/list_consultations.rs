use crate::web::AppState;
use crate::web::error::ApiError;
use actix_web::{HttpResponse, web::Data};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationListItem {
    pub slug: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Version of the definition that new responses answer.
    pub version: i32,
    /// Whether responses are accepted now.
    pub open: bool,
}

/// List the consultations this service offers.
#[utoipa::path(get, path = "/api/consultations", tag = "consultations",
    responses((status = 200, body = [ConsultationListItem])))]
pub async fn list_consultations(state: Data<AppState>) -> Result<HttpResponse, ApiError> {
    let mut items: Vec<ConsultationListItem> = Vec::new();
    for l in state.catalogue.all() {
        items.push(ConsultationListItem {
            slug: l.definition.slug.to_string(),
            title: l.definition.title.clone(),
            summary: l.definition.summary.clone(),
            version: l.stored.version,
            open: crate::web::schedule::is_open(&state, l).await?,
        });
    }
    Ok(HttpResponse::Ok().json(items))
}
