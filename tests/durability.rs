//! Kill the real binary with SIGKILL while members are submitting; every
//! response it acknowledged must be there, whole, after a restart.
mod common;

use common::{SLUG, valid_answers};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn start_server(db: &str) -> (Child, String) {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_consult"))
        .args([
            "--database",
            db,
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts");
    (child, format!("http://127.0.0.1:{port}"))
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(r) = client.get(format!("{base}/api/consultations")).send().await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server at {base} did not become ready");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_responses_survive_sigkill() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir
        .path()
        .join("durable.sqlite3")
        .to_string_lossy()
        .into_owned();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let (mut child, base) = start_server(&db);
    wait_ready(&client, &base).await;

    let acked: Arc<Mutex<Vec<(Uuid, String)>>> = Arc::default();
    let mut clients = Vec::new();
    for c in 0..16 {
        let (client, base, acked) = (client.clone(), base.clone(), acked.clone());
        clients.push(tokio::spawn(async move {
            for n in 0..10_000 {
                let marker = format!("client {c} submission {n}");
                let mut answers = valid_answers();
                answers["q12"] = json!(marker);
                let Ok(r) = client
                    .post(format!("{base}/api/consultations/{SLUG}/responses"))
                    .json(&json!({"answers": answers}))
                    .send()
                    .await
                else {
                    return; // the server is gone
                };
                if r.status() != 201 {
                    return;
                }
                let Ok(body) = r.json::<Value>().await else {
                    return;
                };
                let id = body["id"]
                    .as_str()
                    .and_then(|s| Uuid::parse_str(s).ok())
                    .expect("id");
                acked.lock().expect("lock").push((id, marker));
            }
        }));
    }
    // Kill mid-stream, once a fair number have been acknowledged.
    let deadline = Instant::now() + Duration::from_secs(20);
    while acked.lock().expect("lock").len() < 300 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    for c in clients {
        c.await.expect("client task");
    }
    let acked = acked.lock().expect("lock").clone();
    assert!(
        acked.len() >= 300,
        "only {} acknowledged before the kill",
        acked.len()
    );

    // Restarting on the same file recovers it...
    let (mut child, base) = start_server(&db);
    wait_ready(&client, &base).await;
    child.kill().expect("stop");
    child.wait().expect("reaped");

    // ...and every acknowledged response is there, whole.
    let store = consult::storage::Store::open(&db).expect("open");
    assert_eq!(store.integrity_check().expect("check"), "ok");
    let def = common::demo_definition();
    for (id, marker) in &acked {
        let stored = store
            .load_response(*id)
            .expect("query")
            .unwrap_or_else(|| panic!("{id} lost"));
        let mut expected = valid_answers();
        expected["q12"] = json!(marker);
        assert_eq!(
            Value::Object(stored.answers(&def).to_json()),
            expected,
            "{id} incomplete"
        );
    }
}
