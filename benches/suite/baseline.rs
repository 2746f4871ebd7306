//! The comparison for submissions: a minimal actix-web handler that parses
//! the same JSON and writes the same rows to SQLite, one transaction per
//! request, with none of the service's checks, limits or group commit.
use actix_web::{App, HttpResponse, HttpServer, web};
use consult::domain::Consultation;
use consult::storage::{NewSubmission, Store, StoredConsultation};
use std::path::Path;

struct State {
    store: Store,
    definition: Consultation,
    stored: StoredConsultation,
}

async fn submit(state: web::Data<State>, body: web::Json<serde_json::Value>) -> HttpResponse {
    let raw = body["answers"].as_object().cloned().unwrap_or_default();
    let answers = consult::domain::answers::from_json_lenient(&state.definition, &raw);
    let id = body["submission_id"]
        .as_str()
        .and_then(|s| uuid::Uuid::parse_str(s).ok());
    let result = web::block(move || {
        state.store.submit(&NewSubmission {
            consultation: state.stored,
            submission_id: id,
            answers: &answers,
            channel: consult::storage::Channel::Api,
            submitted_at: None,
        })
    })
    .await;
    match result {
        Ok(Ok(o)) => HttpResponse::Created().json(serde_json::json!({"id": o.id})),
        _ => HttpResponse::InternalServerError().finish(),
    }
}

pub fn serve(database: &Path, port: u16) -> anyhow::Result<()> {
    let store = Store::open(&database.to_string_lossy())?;
    let dir = super::server::repo().join("fixtures/consultations");
    let catalogue = consult::catalogue::Catalogue::load(&dir, &store)?;
    let loaded = catalogue
        .get("next-steps-for-system-working")
        .ok_or_else(|| anyhow::anyhow!("the demo consultation is missing"))?;
    let state = web::Data::new(State {
        store,
        definition: loaded.definition.clone(),
        stored: loaded.stored,
    });
    actix_web::rt::System::new().block_on(async move {
        HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .route("/api/consultations", web::get().to(HttpResponse::Ok))
                .route("/submit", web::post().to(submit))
        })
        .bind(("127.0.0.1", port))?
        .run()
        .await
    })?;
    Ok(())
}
