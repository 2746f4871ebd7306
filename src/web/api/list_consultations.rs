use crate::startup::AppState;
use actix_web::{HttpResponse, get, web::Data};
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
#[get("/api/consultations")]
pub async fn list_consultations(state: Data<AppState>) -> HttpResponse {
    let now = chrono::Utc::now();
    let items: Vec<ConsultationListItem> = state
        .catalogue
        .all()
        .map(|l| ConsultationListItem {
            slug: l.definition.slug.to_string(),
            title: l.definition.title.clone(),
            summary: l.definition.summary.clone(),
            version: l.stored.version,
            open: l.definition.is_open_at(now),
        })
        .collect();
    HttpResponse::Ok().json(items)
}
