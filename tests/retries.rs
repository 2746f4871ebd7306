//! Submissions sent again, or many at once: each stored once, none lost,
//! and one refused submission never takes its neighbours with it.
mod common;

use common::{Backend, SLUG, body_with as with, spawn_app, valid_answers};
use serde_json::{Value, json};
use uuid::Uuid;

async fn a_retried_submission_is_stored_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let sid = Uuid::now_v7();
    let body = json!({"submission_id": sid, "answers": valid_answers()}).to_string();
    let first = app.post_response(body.clone()).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.expect("json");
    let again = app.post_response(body).await;
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.expect("json");
    assert_eq!(first["id"], again["id"]);
    let other = with(|a| {
        a.insert("q1".into(), json!("agree"));
        a.remove("q1_why");
    });
    let mut other: Value = serde_json::from_str(&other).expect("json");
    other["submission_id"] = json!(sid);
    let conflict = app.post_response(other.to_string()).await;
    assert_eq!(conflict.status(), 409);
    assert_eq!(app.stored_count(), 1);
}

async fn simultaneous_copies_of_one_submission_store_one_response(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = json!({"submission_id": Uuid::now_v7(), "answers": valid_answers()}).to_string();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (client, url, body) = (
                app.client.clone(),
                format!("{}/api/consultations/{SLUG}/responses", app.address),
                body.clone(),
            );
            tokio::spawn(async move {
                let r = client
                    .post(url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .expect("send");
                let status = r.status().as_u16();
                let v: Value = r.json().await.expect("json");
                (status, v["id"].as_str().unwrap_or_default().to_owned())
            })
        })
        .collect();
    let mut ids = std::collections::HashSet::new();
    let mut created = 0;
    for t in tasks {
        let (status, id) = t.await.expect("task");
        assert!(status == 200 || status == 201, "{status}");
        created += usize::from(status == 201);
        ids.insert(id);
    }
    assert_eq!(created, 1);
    assert_eq!(ids.len(), 1);
    assert_eq!(app.stored_count(), 1);
}

async fn two_hundred_concurrent_submissions_are_all_stored(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = json!({"answers": valid_answers()}).to_string();
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let (client, url, body) = (
                app.client.clone(),
                format!("{}/api/consultations/{SLUG}/responses", app.address),
                body.clone(),
            );
            tokio::spawn(async move {
                client
                    .post(url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .expect("send")
                    .status()
                    .as_u16()
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.expect("task"), 201);
    }
    assert_eq!(app.stored_count(), 200);
    assert_eq!(app.store().integrity_check().expect("check"), "ok");
}

/// Submissions arriving together share a transaction: one refused among
/// them (a submission_id reused with other answers) is rolled back alone,
/// every other is stored and acknowledged, and each acknowledged one counts.
async fn a_refused_submission_does_not_take_its_neighbours_with_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let sid = Uuid::now_v7();
    let first = json!({"submission_id": sid, "answers": valid_answers()}).to_string();
    assert_eq!(app.post_response(first).await.status(), 201);
    let clash = with(|a| {
        a.insert("q1".into(), json!("agree"));
        a.remove("q1_why");
    });
    let mut clash: Value = serde_json::from_str(&clash).expect("json");
    clash["submission_id"] = json!(sid);
    let bodies: Vec<String> = (0..120)
        .map(|i| {
            if i % 40 == 7 {
                clash.to_string()
            } else {
                json!({"answers": common::varied_answers(i)}).to_string()
            }
        })
        .collect();
    let tasks: Vec<_> = bodies
        .into_iter()
        .map(|body| {
            let (client, url) = (
                app.client.clone(),
                format!("{}/api/consultations/{SLUG}/responses", app.address),
            );
            tokio::spawn(async move {
                let r = client
                    .post(url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .expect("send");
                r.status().as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("task"));
    }
    assert_eq!(statuses.iter().filter(|&&s| s == 409).count(), 3);
    assert_eq!(statuses.iter().filter(|&&s| s == 201).count(), 117);
    assert_eq!(app.stored_count(), 118);
    let results = common::results(&app.client, &app.address).await;
    assert_eq!(results["responses"], 118);
    assert_eq!(app.store().integrity_check().expect("check"), "ok");
}

on_both_backends!(
    a_retried_submission_is_stored_once,
    simultaneous_copies_of_one_submission_store_one_response,
    two_hundred_concurrent_submissions_are_all_stored,
    a_refused_submission_does_not_take_its_neighbours_with_it,
);
