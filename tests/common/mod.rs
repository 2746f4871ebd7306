//! Starts the real application on a random port with its own database.
#![allow(dead_code, unused_imports)]
pub mod coding;
mod db;
pub mod matrix;
mod member;
pub mod package;
mod server;
use consult::startup::{Application, Settings};
use consult::storage::Store;
pub use db::{Backend, TestDb, postgres_admin_url};
pub use member::{Member, location, start_draft};
pub use server::{Server, free_port};
use std::path::{Path, PathBuf};

pub const SLUG: &str = "next-steps-for-system-working";

pub struct TestApp {
    pub address: String,
    /// Signed in as an administrator (API token); `anonymous` is not.
    pub client: reqwest::Client,
    pub anonymous: reqwest::Client,
    pub admin_token: String,
    // Dropped last: removes the database and any definitions written.
    pub db: TestDb,
}

pub fn repo_path(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &repo_path("fixtures/consultations")).await
}

/// A fresh database of `backend`; panics when PostgreSQL is asked for but
/// not configured (`on_both_backends!` checks first).
pub fn test_db(backend: Backend) -> TestDb {
    TestDb::new(backend).expect("the PostgreSQL tests need CONSULT_TEST_POSTGRES_URL")
}

/// With the definitions of `consultations` instead of the fixtures.
pub async fn spawn_app_with(backend: Backend, consultations: &Path) -> TestApp {
    let db = test_db(backend);
    let settings = settings(&db.url, consultations);
    start(db, settings).await
}

/// With these rate limits (tests otherwise run without).
pub async fn spawn_app_limited(
    backend: Backend,
    limits: consult::web::limits::LimitSettings,
) -> TestApp {
    let db = test_db(backend);
    let mut settings = settings(&db.url, &repo_path("fixtures/consultations"));
    settings.limits = limits;
    start(db, settings).await
}

/// Another instance of the application on `app`'s database, as a second
/// server behind a load balancer; returns its address.
pub async fn second_instance(app: &TestApp) -> String {
    let settings = settings(&app.db.url, &repo_path("fixtures/consultations"));
    let other = Application::build(settings).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", other.port());
    tokio::spawn(other.run_until_stopped());
    address
}

/// With the settings `change` makes.
pub async fn spawn_app_configured(backend: Backend, change: impl FnOnce(&mut Settings)) -> TestApp {
    let db = test_db(backend);
    let mut settings = settings(&db.url, &repo_path("fixtures/consultations"));
    change(&mut settings);
    start(db, settings).await
}

async fn start(db: TestDb, settings: Settings) -> TestApp {
    let app = Application::build(settings).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let admin_token = create_user(&db.url, "admin@example.org", "admin").token;
    TestApp {
        address,
        client: authed_client(&admin_token),
        anonymous: client(),
        admin_token,
        db,
    }
}

pub fn settings(database: &str, consultations: &Path) -> Settings {
    Settings {
        bind: "127.0.0.1:0".into(),
        database: database.to_owned(),
        consultations: consultations.to_owned(),
        frontend: repo_path("frontend"),
        db_pool_size: 8,
        // Tests send many requests from one address.
        limits: consult::web::limits::LimitSettings {
            submissions_per_minute: 0,
            sign_ins_per_minute: 0,
            client_address: consult::web::client_address::ClientAddress::Peer,
        },
        public_url: None,
    }
}

pub struct Account {
    pub email: String,
    pub password: String,
    pub token: String,
}

/// An account made directly in the database, as `consult users create` does.
pub fn create_user(database: &str, email: &str, role: &str) -> Account {
    let password = consult::domain::accounts::new_password();
    let token = consult::domain::tokens::AccessToken::generate();
    let hash = consult::domain::accounts::hash_password(&password).expect("hash");
    Store::open(database)
        .expect("store")
        .create_user(
            email,
            consult::domain::accounts::Role::parse(role).expect("a known role"),
            &hash,
            &token.hash(),
        )
        .expect("user created");
    Account {
        email: email.to_owned(),
        password,
        token: token.as_str().to_owned(),
    }
}

/// A client that sends `token` as a bearer token on every request.
pub fn authed_client(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {token}").parse().expect("header"),
    );
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .expect("client")
}

/// A client that keeps cookies and shows redirects instead of following.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client")
}

impl TestApp {
    pub fn store(&self) -> Store {
        Store::open(&self.db.url).expect("store opens")
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

pub const Q1_CODES: [&str; 4] = ["agree", "partly_agree", "disagree", "dont_know"];

/// The `i`th of a varied set of valid answers: q1 cycles through its four
/// options, so response `i` answers `Q1_CODES[i % 4]`.
pub fn varied_answers(i: usize) -> serde_json::Value {
    let mut a = valid_answers();
    a["q1"] = serde_json::json!(Q1_CODES[i % 4]);
    if !matches!(i % 4, 1 | 2) {
        // Asked only of those who partly agree or disagree.
        a.as_object_mut().map(|m| m.remove("q1_why"));
    }
    a["stakeholder_group"] = serde_json::json!(["acute_trust", "ccg", "pcn"][i % 3]);
    a
}

/// POSTs a response to the service at `base`; returns status and body.
pub async fn submit(
    client: &reqwest::Client,
    base: &str,
    answers: &serde_json::Value,
    submission_id: Option<uuid::Uuid>,
) -> (u16, serde_json::Value) {
    let mut body = serde_json::json!({ "answers": answers });
    if let Some(sid) = submission_id {
        body["submission_id"] = serde_json::json!(sid);
    }
    let r = client
        .post(format!("{base}/api/consultations/{SLUG}/responses"))
        .json(&body)
        .send()
        .await
        .expect("request sent");
    let status = r.status().as_u16();
    (status, r.json().await.expect("json body"))
}

/// Submits `varied_answers(0..n)` to the service at `base`, each accepted.
pub async fn submit_varied(client: &reqwest::Client, base: &str, n: usize) {
    for i in 0..n {
        let (status, body) = submit(client, base, &varied_answers(i), None).await;
        assert_eq!(status, 201, "response {i}: {body}");
    }
}

/// The results document of the demo consultation at `base`.
pub async fn results(client: &reqwest::Client, base: &str) -> serde_json::Value {
    let r = client
        .get(format!("{base}/api/consultations/{SLUG}/results"))
        .send()
        .await
        .expect("get results");
    assert_eq!(r.status(), 200);
    r.json().await.expect("json")
}

/// Count of option `code` of question `q` in a results document.
pub fn count_of(results: &serde_json::Value, q: &str, code: &str) -> u64 {
    results["questions"]
        .as_array()
        .and_then(|qs| qs.iter().find(|x| x["id"] == q))
        .and_then(|x| x["options"].as_array())
        .and_then(|os| os.iter().find(|o| o["code"] == code))
        .and_then(|o| o["count"].as_u64())
        .unwrap_or_else(|| panic!("no count for {q}/{code} in {results}"))
}

/// Runs the `consult` binary with `args`; returns (success, stdout, stderr).
pub fn run_cli(args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_consult"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("consult runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `consult fixtures generate --into-database` on `url` with `extra`
/// arguments; returns (success, stdout, stderr).
pub fn generate_into(url: &str, n: usize, extra: &[&str]) -> (bool, String, String) {
    let n = n.to_string();
    let mut args = vec![
        "--database",
        url,
        "fixtures",
        "generate",
        "--into-database",
        "--n",
        &n,
    ];
    args.extend_from_slice(extra);
    run_cli(&args)
}

/// The synthetic 252 responses, in `fixtures/responses`.
pub const FIXTURE: &str = "fixtures/responses/next-steps-for-system-working.json";

/// A fresh app with the fixture responses imported through the CLI.
pub async fn spawn_app_with_fixture(backend: Backend) -> TestApp {
    let app = spawn_app(backend).await;
    let fixture = repo_path(FIXTURE).to_string_lossy().into_owned();
    let (ok, out, err) = run_cli(&["--database", &app.db.url, "responses", "import", &fixture]);
    assert!(ok, "import failed: {out}{err}");
    assert!(out.contains("imported 252 response(s)"), "{out}");
    app
}

/// GETs `url` with `client`; status and body.
pub async fn fetch(client: &reqwest::Client, url: &str) -> (u16, String) {
    let r = client.get(url).send().await.expect("get");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body"))
}

/// The CSRF token a page's form carries.
pub fn csrf(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("form has a CSRF token") + marker.len();
    html[start..].chars().take_while(|c| *c != '"').collect()
}

/// Runs SQL statements on the test database behind the service's back.
pub fn raw(db: &TestDb, sql: &str) {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;
    match db.backend {
        Backend::Sqlite => {
            let path = db.url.trim_start_matches("sqlite://");
            let mut c = diesel::SqliteConnection::establish(path).expect("open");
            c.batch_execute(sql).expect("raw sql");
        }
        Backend::Postgres => {
            let mut c = diesel::PgConnection::establish(&db.url).expect("open");
            c.batch_execute(sql).expect("raw sql");
        }
    }
}

/// A submission body of `valid_answers()` as `change` leaves them.
pub fn body_with(change: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>)) -> String {
    let mut a = valid_answers().as_object().cloned().unwrap_or_default();
    change(&mut a);
    serde_json::json!({"answers": a}).to_string()
}
