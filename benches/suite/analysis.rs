//! Breakdowns, the full report, charts and exports at one data size: over
//! HTTP against `consult serve`, in process on the same frame, and by pandas
//! and DuckDB on that frame written to Parquet.
use super::server::{Server, consult, run};
use super::stats::{Table, ms, thousands, time};
use consult::analysis::breakdown::breakdown;
use consult::analysis::{RawSpec, ResultsCache, Spec};
use consult::catalogue::Catalogue;
use consult::charts::{self, Kind, Source};
use consult::storage::Store;
use polars::prelude::{DataType, ParquetWriter, SerReader};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub const SLUG: &str = "next-steps-for-system-working";
const QUESTION: &str = "q1";
const BY: &str = "stakeholder_group";

/// Makes `n` responses in a new database file; returns its path.
pub fn generate(dir: &Path, n: usize, table: &mut Table) -> anyhow::Result<std::path::PathBuf> {
    let db = dir.join(format!("bench-{n}.sqlite3"));
    remove(&db);
    let mut c = consult();
    c.args(["--database", &db.to_string_lossy(), "fixtures", "generate"])
        .args(["--into-database", "--n", &n.to_string()]);
    let started = Instant::now();
    run(c)?;
    let secs = started.elapsed().as_secs_f64();
    table.add(
        "`fixtures generate --into-database`",
        &thousands(n as u64),
        format!("{secs:.1} s ({}/s)", thousands((n as f64 / secs) as u64)),
        if n >= 1_000_000 {
            "< 30 s (well under a minute)"
        } else {
            ""
        },
        (n >= 1_000_000).then_some(secs < 30.0),
    );
    Ok(db)
}

/// The database with the demo consultation as stored there.
fn demo(db: &Path) -> anyhow::Result<(Store, std::sync::Arc<consult::catalogue::Loaded>)> {
    let store = Store::open(&db.to_string_lossy())?;
    let catalogue = Catalogue::load(
        &super::server::repo().join("fixtures/consultations"),
        &store,
    )?;
    let loaded = catalogue
        .get(SLUG)
        .ok_or_else(|| anyhow::anyhow!("no {SLUG}"))?;
    Ok((store, loaded))
}

/// Removes a database file with its log and saved analyses.
pub fn remove(db: &Path) {
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    let _ = std::fs::remove_dir_all(format!("{}.analysis", db.display()));
}

/// A staff member's token (breakdowns and exports), made straight in the database.
fn staff_token(db: &Path) -> anyhow::Result<String> {
    let store = Store::open(&db.to_string_lossy())?;
    let token = consult::domain::tokens::AccessToken::generate();
    let password = consult::domain::accounts::new_password();
    let hash = consult::domain::accounts::hash_password(&password).map_err(anyhow::Error::msg)?;
    store.create_user(
        "bench@example.org",
        consult::domain::accounts::Role::Staff,
        &hash,
        &token.hash(),
    )?;
    Ok(token.as_str().to_owned())
}

/// Authenticated GETs against one server.
pub struct Api {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    /// The body's size in bytes; any status but 2xx is an error.
    pub async fn get(&self, path: String) -> anyhow::Result<usize> {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "{path}: {}", r.status());
        Ok(r.bytes().await?.len())
    }
}

/// Figures measured against the service itself.
pub async fn over_http(db: &Path, n: usize, table: &mut Table) -> anyhow::Result<()> {
    let size = thousands(n as u64);
    let token = staff_token(db)?;
    let client = reqwest::Client::new();
    let mut server = Server::consult(db)?;
    server.ready(&client, "/api/consultations").await?;
    let one = format!("/api/consultations/{SLUG}/breakdown?question={QUESTION}&by={BY}");
    let api = |server: &Server| Api {
        client: client.clone(),
        base: server.base.clone(),
        token: token.clone(),
    };
    let t = Instant::now();
    api(&server).get(one.clone()).await?;
    let cold = t.elapsed().as_secs_f64() * 1000.0;
    table.add(
        "breakdown, cold: first request after the first start (built from the database), HTTP",
        &size,
        ms(cold),
        "< 2 s",
        Some(cold < 2000.0),
    );
    // Slow builds (250 ms or more) are saved beside the database; a
    // restarted server starts from that file. Wait for it, restart, ask
    // again. Faster builds are not saved: nothing to wait for.
    let saved = PathBuf::from(format!("{}.analysis", db.display()));
    let wait = if cold >= 250.0 { 120 } else { 0 };
    let deadline = Instant::now() + std::time::Duration::from_secs(wait);
    let is_saved = || {
        std::fs::read_dir(&saved)
            .map(|d| {
                d.flatten()
                    .any(|e| e.file_name().to_string_lossy().ends_with(".parquet"))
            })
            .unwrap_or(false)
    };
    while Instant::now() < deadline && !is_saved() {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    if is_saved() {
        drop(server);
        server = Server::consult(db)?;
        server.ready(&client, "/api/consultations").await?;
        let t = Instant::now();
        api(&server).get(one.clone()).await?;
        let cold = t.elapsed().as_secs_f64() * 1000.0;
        table.add(
            "breakdown, cold: first request after a restart (snapshot on disk), HTTP",
            &size,
            ms(cold),
            "< 2 s",
            Some(cold < 2000.0),
        );
    }
    let api = api(&server);
    let mut samples = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        api.get(one.clone()).await?;
        samples.push(t.elapsed());
    }
    let warm = super::stats::summarise(samples);
    table.add(
        "breakdown, warm, HTTP (median / p95 of 50)",
        &size,
        format!("{} / {}", ms(warm.median), ms(warm.p95)),
        "< 30 ms",
        Some(warm.p95 < 30.0),
    );
    let (_, loaded) = demo(db)?;
    let questions: Vec<String> = consult::export::report::questions(&loaded.definition)
        .iter()
        .map(|q| q.id.to_string())
        .collect();
    let mut passes = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        for q in &questions {
            api.get(format!(
                "/api/consultations/{SLUG}/breakdown?question={q}&by={BY}"
            ))
            .await?;
        }
        passes.push(t.elapsed());
    }
    let report = super::stats::summarise(passes);
    table.add(
        &format!(
            "full report ({} questions) by group, warm, HTTP",
            questions.len()
        ),
        &size,
        ms(report.median),
        "< 300 ms",
        Some(report.median < 300.0),
    );
    super::coding::coded(&api, &size, table).await?;
    let rss = server.peak_rss_mib().unwrap_or(f64::NAN);
    table.add(
        "server peak RSS after breakdowns",
        &size,
        format!("{rss:.0} MiB"),
        "< 1536 MiB",
        Some(rss < 1536.0),
    );
    for format in ["parquet", "csv"] {
        let t = Instant::now();
        let bytes = api
            .get(format!("/api/consultations/{SLUG}/export?format={format}"))
            .await?;
        let secs = t.elapsed().as_secs_f64();
        table.add(
            &format!("anonymised export, {format}, HTTP"),
            &size,
            format!("{secs:.2} s ({:.0} MB)", bytes as f64 / 1e6),
            if format == "parquet" { "< 5 s" } else { "" },
            (format == "parquet").then_some(secs < 5.0),
        );
    }
    let rss = server.peak_rss_mib().unwrap_or(f64::NAN);
    table.add(
        "server peak RSS after exports",
        &size,
        format!("{rss:.0} MiB"),
        "< 1536 MiB",
        Some(rss < 1536.0),
    );
    Ok(())
}

/// Figures measured in this process, and the same breakdown by pandas and
/// DuckDB on the same frame.
pub fn in_process(
    db: &Path,
    n: usize,
    python: Option<&Path>,
    table: &mut Table,
) -> anyhow::Result<()> {
    let size = thousands(n as u64);
    let (store, loaded) = demo(db)?;
    let c = &loaded.definition;
    let t = Instant::now();
    let snapshot = ResultsCache::default().snapshot(&store, loaded.stored, c)?;
    let build = t.elapsed().as_secs_f64() * 1000.0;
    table.add(
        "read responses and build the frame, in process",
        &size,
        ms(build),
        "",
        None,
    );
    let frame = &snapshot.frame;
    let spec = |q: &str| {
        Spec::parse(
            c,
            &RawSpec {
                question: Some(q.to_owned()),
                by: Some(BY.to_owned()),
                ..RawSpec::default()
            },
        )
        .map_err(|e| anyhow::anyhow!("{e:?}"))
    };
    let one = spec(QUESTION)?;
    let ours = time(3, 30, || breakdown(frame, &one));
    table.add(
        "breakdown, warm, in process (median of 30)",
        &size,
        ms(ours.median),
        "< 30 ms",
        Some(ours.median < 30.0),
    );
    let specs = consult::export::report::questions(c)
        .iter()
        .map(|q| spec(q.id.as_str()))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let report = time(1, 10, || {
        specs
            .iter()
            .map(|s| breakdown(frame, s))
            .collect::<polars::prelude::PolarsResult<Vec<_>>>()
    });
    table.add(
        "full report, in process (median of 10)",
        &size,
        ms(report.median),
        "< 300 ms",
        Some(report.median < 300.0),
    );
    let b = breakdown(frame, &one)?;
    let source = Source {
        consultation: c.title.clone(),
        date: chrono::Utc::now().date_naive(),
        filters: None,
    };
    let svg = time(5, 200, || charts::svg(&b, Kind::Stacked, &source));
    table.add(
        "chart, SVG (median of 200)",
        &size,
        ms(svg.median),
        "< 2 ms",
        Some(svg.median < 2.0),
    );
    let png = time(3, 50, || charts::png(&b, Kind::Stacked, &source));
    table.add(
        "chart, PNG (median of 50)",
        &size,
        ms(png.median),
        "< 10 ms",
        Some(png.median < 10.0),
    );
    if let Some(python) = python {
        compare(python, db, frame, &b, ours.median, &size, table)?;
    }
    Ok(())
}

fn compare(
    python: &Path,
    db: &Path,
    frame: &polars::prelude::DataFrame,
    ours: &consult::analysis::Breakdown,
    ours_ms: f64,
    size: &str,
    table: &mut Table,
) -> anyhow::Result<()> {
    let parquet = db.with_extension("parquet");
    // Codes as plain strings: each engine then uses its own best form
    // (pandas' categories; DuckDB's strings).
    let mut plain = frame.clone();
    for name in frame.get_column_names_owned() {
        if matches!(frame.column(&name)?.dtype(), DataType::Categorical(..)) {
            let strings = frame.column(&name)?.cast(&DataType::String)?;
            plain.with_column(strings)?;
        }
    }
    ParquetWriter::new(std::fs::File::create(&parquet)?).finish(&mut plain)?;
    // Read back: what the other engines load is what we measured on.
    let back = polars::prelude::ParquetReader::new(std::fs::File::open(&parquet)?).finish()?;
    anyhow::ensure!(
        back.height() == frame.height(),
        "the Parquet copy lost rows"
    );
    let mut c = std::process::Command::new(python);
    c.arg(super::server::repo().join("bench/compare.py"))
        .arg(&parquet)
        .args([QUESTION, BY, "30"]);
    let out: serde_json::Value = serde_json::from_str(&run(c)?)?;
    for engine in ["pandas", "duckdb"] {
        let theirs = out[engine]["median_ms"].as_f64().unwrap_or(f64::NAN);
        // The same counts, or the comparison means nothing.
        for g in &ours.groups {
            for (code, k) in &g.counts {
                let their_k = out[engine]["counts"][&g.code][code].as_u64().unwrap_or(0);
                anyhow::ensure!(
                    their_k == *k,
                    "{engine} counts {their_k} for {}/{code}, we count {k}",
                    g.code
                );
            }
        }
        let (name, need) = if engine == "pandas" {
            ("pandas", 3.0)
        } else {
            ("DuckDB", 1.5)
        };
        table.add(
            &format!("breakdown by {name} on the same frame (median of 30)"),
            size,
            format!("{} — ours {:.1}× faster", ms(theirs), theirs / ours_ms),
            &format!("≥ {need}×"),
            Some(theirs / ours_ms >= need),
        );
    }
    let _ = std::fs::remove_file(parquet);
    Ok(())
}
