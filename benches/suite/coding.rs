//! A coded free-text question at each size: coding it by the demo
//! codebook's rules, then its theme breakdown and a page of its answers.
use super::analysis::Api;
use super::server::{consult, run};
use super::stats::{Table, ms, thousands};
use std::path::Path;
use std::time::Instant;

const SLUG: &str = "next-steps-for-system-working";

/// Codes every answer to q8_why by the demo codebook's rules, as a
/// coding team would have, before the server starts.
pub fn code_free_text(db: &Path, n: usize, table: &mut Table) -> anyhow::Result<()> {
    let book = super::server::repo().join("fixtures/codebooks/next-steps-for-system-working.json");
    let mut c = consult();
    c.args(["--database", &db.to_string_lossy(), "codebook", "load"])
        .arg(&book)
        .args(["--code", "1", "--question", "q8_why"]);
    let started = Instant::now();
    run(c)?;
    table.add(
        "`codebook load --code 1` (every q8_why answer coded)",
        &thousands(n as u64),
        format!("{:.1} s", started.elapsed().as_secs_f64()),
        "",
        None,
    );
    Ok(())
}

/// A coded free-text question: its themes by the question it follows,
/// and a page of its answers, warm.
pub async fn coded(api: &Api, size: &str, table: &mut Table) -> anyhow::Result<()> {
    let themes = format!("/api/consultations/{SLUG}/breakdown?question=q8_why&by=q8");
    let page = format!(
        "/api/consultations/{SLUG}/questions/q8_why/answers?filter=stakeholder_group:ccg&page=3"
    );
    for (what, path, target, limit) in [
        (
            "theme breakdown, warm, HTTP (median / p95 of 50)",
            themes,
            "< 30 ms",
            30.0,
        ),
        (
            "free-text answers page, warm, HTTP (median / p95 of 50)",
            page,
            "< 100 ms",
            100.0,
        ),
    ] {
        api.get(path.clone()).await?;
        let mut samples = Vec::new();
        for _ in 0..50 {
            let t = Instant::now();
            api.get(path.clone()).await?;
            samples.push(t.elapsed());
        }
        let s = super::stats::summarise(samples);
        table.add(
            what,
            size,
            format!("{} / {}", ms(s.median), ms(s.p95)),
            target,
            Some(s.p95 < limit),
        );
    }
    Ok(())
}
