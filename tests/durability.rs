//! Kill the real binary with SIGKILL while members are submitting; every
//! response it acknowledged must be there, whole, after a restart.
mod common;

use common::{Backend, SLUG, Server, valid_answers};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

async fn acknowledged_responses_survive_sigkill(backend: Backend) {
    let db = common::test_db(backend);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let mut server = Server::start(&db.url);
    server.ready(&client).await;
    let base = server.base.clone();

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
    server.kill();
    for c in clients {
        c.await.expect("client task");
    }
    let acked = acked.lock().expect("lock").clone();
    assert!(
        acked.len() >= 300,
        "only {} acknowledged before the kill",
        acked.len()
    );

    // Restarting on the same database recovers it...
    let mut server = Server::start(&db.url);
    server.ready(&client).await;
    server.kill();

    // ...and every acknowledged response is there, whole.
    let store = consult::storage::Store::open(&db.url).expect("open");
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

on_both_backends!(acknowledged_responses_survive_sigkill);
