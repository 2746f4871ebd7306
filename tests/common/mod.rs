//! Starts the real application on a random port with its own database.
#![allow(dead_code)]
use consult::startup::{Application, Settings};
use consult::storage::Store;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub const SLUG: &str = "next-steps-for-system-working";

pub struct TestApp {
    pub address: String,
    pub db_path: String,
    pub client: reqwest::Client,
    // Dropped last: removes the database and any definitions written.
    pub dir: TempDir,
}

pub fn repo_path(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&repo_path("fixtures/consultations")).await
}

/// With the definitions of `consultations` instead of the fixtures.
pub async fn spawn_app_with(consultations: &Path) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir
        .path()
        .join("test.sqlite3")
        .to_string_lossy()
        .into_owned();
    let app = Application::build(Settings {
        bind: "127.0.0.1:0".into(),
        database: db_path.clone(),
        consultations: consultations.to_owned(),
        frontend: repo_path("frontend"),
    })
    .await
    .expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client");
    TestApp {
        address,
        db_path,
        client,
        dir,
    }
}

impl TestApp {
    pub fn store(&self) -> Store {
        Store::open(&self.db_path).expect("store opens")
    }

    pub async fn post_response(&self, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.client
            .post(format!(
                "{}/api/consultations/{SLUG}/responses",
                self.address
            ))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request sent")
    }

    /// GETs `path` and parses the JSON body.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json")
    }

    /// Responses stored for the demo consultation.
    pub fn stored_count(&self) -> i64 {
        let store = self.store();
        let id = store
            .list_consultations()
            .expect("list")
            .into_iter()
            .find(|c| c.slug == SLUG)
            .map(|c| c.responses);
        id.unwrap_or(0)
    }
}

pub fn valid_answers() -> serde_json::Value {
    serde_json::json!({
        "stakeholder_group": "ccg",
        "region": "london",
        "role": "chief_executive",
        "organisation": "Example CCG",
        "q1": "partly_agree",
        "q1_why": "Add prevention.",
        "q2": "health_public_health_care",
        "q3": "Because care and health belong together.",
        "q4": "definitely",
        "q5b": ["mental_health", "quality"],
        "q7": "probably",
        "q8": "tweak",
        "q8_why": "Compatibility with ICS working.",
        "q9": "probably",
        "q9_areas": ["public_health"],
        "q10": "probably_not",
        "q11": "definitely",
        "q11_who": "joint_committee",
        "q12": "Through provider collaboratives.\nAnd place boards.",
        "q13": "dont_know"
    })
}

/// The demo consultation's definition, as the service reads it.
pub fn demo_definition() -> consult::domain::Consultation {
    consult::catalogue::read_definition(&repo_path(
        "fixtures/consultations/next-steps-for-system-working.json",
    ))
    .expect("demo definition is valid")
}
