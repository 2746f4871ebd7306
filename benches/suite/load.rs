//! The load generator, run as its own process: `clients` connections each
//! posting one response after another for `seconds`, then waiting for what
//! is in flight, so that every request sent is either acknowledged or
//! counted as failed.
use super::stats::summarise;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct LoadResult {
    pub sent: u64,
    /// Answered 201 (stored).
    pub acknowledged: u64,
    pub failed: u64,
    pub seconds: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// The fixture's answer sets, to be sent in turn with fresh submission ids.
pub fn bodies() -> anyhow::Result<Vec<Value>> {
    let path = super::server::repo().join("fixtures/responses/next-steps-for-system-working.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let answers: Vec<Value> = file["responses"]
        .as_array()
        .map(|rs| rs.iter().map(|r| r["answers"].clone()).collect())
        .unwrap_or_default();
    anyhow::ensure!(!answers.is_empty(), "the fixture holds no responses");
    Ok(answers)
}

pub async fn run(url: &str, seconds: f64, clients: usize) -> anyhow::Result<LoadResult> {
    let answers = std::sync::Arc::new(bodies()?);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()?;
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let mut tasks = Vec::new();
    for k in 0..clients {
        let (client, answers, url) = (client.clone(), answers.clone(), url.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let (mut ok, mut failed) = (0u64, 0u64);
            let mut i = k;
            while Instant::now() < deadline {
                let body = json!({
                    "submission_id": uuid::Uuid::now_v7(),
                    "answers": answers[i % answers.len()],
                });
                i += clients;
                let t = Instant::now();
                match client.post(&url).json(&body).send().await {
                    Ok(r) if r.status() == reqwest::StatusCode::CREATED => {
                        let _ = r.bytes().await;
                        ok += 1;
                    }
                    _ => failed += 1,
                }
                latencies.push(t.elapsed());
            }
            (latencies, ok, failed)
        }));
    }
    let mut all = Vec::new();
    let (mut ok, mut failed) = (0, 0);
    for t in tasks {
        let (l, o, f) = t.await?;
        all.extend(l);
        ok += o;
        failed += f;
    }
    let seconds = started.elapsed().as_secs_f64();
    let s = summarise(all);
    Ok(LoadResult {
        sent: ok + failed,
        acknowledged: ok,
        failed,
        seconds,
        p50_ms: s.median,
        p99_ms: s.p99,
    })
}
