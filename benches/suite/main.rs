//! The benchmark suite: `cargo bench` (or `bench/run`, which first installs
//! pandas and DuckDB for the comparison). Every figure is printed with its
//! conditions and the whole table written to `bench/latest.md`.
mod analysis;
mod baseline;
mod coding;
mod load;
mod server;
mod stats;

use clap::Parser;
use server::{Server, consult, run};
use stats::{Table, ms, thousands};
use std::path::PathBuf;

#[derive(Parser)]
struct Args {
    /// `suite` (everything), or one of the helper processes it starts:
    /// `load` (the load generator), `baseline` (the minimal server).
    #[arg(long, default_value = "suite")]
    mode: String,
    /// Stored responses to measure analyses at.
    #[arg(long, value_delimiter = ',', default_value = "10000,100000,1000000")]
    sizes: Vec<usize>,
    /// Seconds of load per submission run.
    #[arg(long, default_value_t = 20.0)]
    seconds: f64,
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Python with pandas and DuckDB (bench/run sets it); without it the
    /// comparison is skipped.
    #[arg(long, env = "CONSULT_BENCH_PYTHON")]
    python: Option<PathBuf>,
    #[arg(long)]
    url: Option<String>,
    #[arg(long)]
    database: Option<PathBuf>,
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Where the data goes (several GB at a million responses).
    #[arg(long, env = "CONSULT_BENCH_DIR")]
    dir: Option<PathBuf>,
    /// What cargo passes to every bench target.
    #[arg(long, hide = true)]
    bench: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    match args.mode.as_str() {
        "load" => {
            let url = args.url.ok_or_else(|| anyhow::anyhow!("--url"))?;
            let rt = tokio::runtime::Runtime::new()?;
            let result = rt.block_on(load::run(&url, args.seconds, args.clients))?;
            println!("{}", serde_json::to_string(&result)?);
            Ok(())
        }
        "baseline" => {
            let db = args.database.ok_or_else(|| anyhow::anyhow!("--database"))?;
            baseline::serve(&db, args.port)
        }
        "suite" => suite(args),
        other => anyhow::bail!("unknown --mode {other}"),
    }
}

fn suite(args: Args) -> anyhow::Result<()> {
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("consult-bench"));
    std::fs::create_dir_all(&dir)?;
    let machine = machine();
    println!("{machine}");
    let mut table = Table::default();
    let rt = tokio::runtime::Runtime::new()?;
    println!("submissions: {} clients, {} s", args.clients, args.seconds);
    rt.block_on(submissions(&args, &dir, &mut table))?;
    for &n in &args.sizes {
        println!("{} stored responses", thousands(n as u64));
        let db = analysis::generate(&dir, n, &mut table)?;
        coding::code_free_text(&db, n, &mut table)?;
        rt.block_on(analysis::over_http(&db, n, &mut table))?;
        analysis::in_process(&db, n, args.python.as_deref(), &mut table)?;
        analysis::remove(&db);
    }
    let text = format!(
        "{machine}\nCommand: `bench/run` (sizes {}; {} clients for {} s)\n\n{}",
        args.sizes
            .iter()
            .map(|n| thousands(*n as u64))
            .collect::<Vec<_>>()
            .join(", "),
        args.clients,
        args.seconds,
        table.markdown()
    );
    let out = server::repo().join("bench/latest.md");
    std::fs::write(&out, &text)?;
    println!("\n{text}\nwritten to {}", out.display());
    Ok(())
}

/// Submissions to the service, then to the minimal baseline, each on a new
/// database holding 10,000 responses, from a separate load-generator process.
async fn submissions(args: &Args, dir: &std::path::Path, table: &mut Table) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    let mut rates = Vec::new();
    for which in ["consult", "baseline"] {
        let db = dir.join(format!("submissions-{which}.sqlite3"));
        analysis::remove(&db);
        let mut g = consult();
        g.args(["--database", &db.to_string_lossy(), "fixtures", "generate"])
            .args(["--into-database", "--n", "10000"]);
        run(g)?;
        let (server, path) = if which == "consult" {
            (
                Server::consult(&db)?,
                format!("/api/consultations/{}/responses", analysis::SLUG),
            )
        } else {
            (Server::baseline(&db)?, "/submit".to_owned())
        };
        server.ready(&client, "/api/consultations").await?;
        let mut l = std::process::Command::new(std::env::current_exe()?);
        l.args(["--mode", "load", "--url", &format!("{}{path}", server.base)])
            .args(["--seconds", &args.seconds.to_string()])
            .args(["--clients", &args.clients.to_string()]);
        let result: load::LoadResult = serde_json::from_str(run(l)?.trim())?;
        drop(server);
        let stored = consult::storage::Store::open(&db.to_string_lossy())?.table_counts()?;
        let responses = stored
            .iter()
            .find(|(t, _)| *t == "responses")
            .map_or(0, |(_, n)| *n);
        let added = (responses - 10_000) as u64;
        let rate = result.acknowledged as f64 / result.seconds;
        rates.push(rate);
        let what = if which == "consult" {
            "submissions, `consult serve` (group commit)"
        } else {
            "submissions, minimal actix-web handler, one transaction each"
        };
        table.add(
            what,
            "10,000 + load",
            format!(
                "{}/s, p50 {}, p99 {}; acknowledged {}, stored {}, failed {}",
                thousands(rate as u64),
                ms(result.p50_ms),
                ms(result.p99_ms),
                thousands(result.acknowledged),
                thousands(added),
                result.failed
            ),
            if which == "consult" {
                "≥ 5,000/s, p99 < 50 ms, stored = acknowledged"
            } else {
                ""
            },
            (which == "consult")
                .then_some(rate >= 5000.0 && result.p99_ms < 50.0 && added == result.acknowledged),
        );
        anyhow::ensure!(
            added == result.acknowledged,
            "{which}: {added} stored, {} acknowledged",
            result.acknowledged
        );
    }
    table.add(
        "submissions, ratio service / minimal handler",
        "",
        format!("{:.1}×", rates[0] / rates[1]),
        "",
        None,
    );
    Ok(())
}

/// What the figures were measured on.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or_else(
            || "unknown".into(),
            |kb| format!("{:.0} GiB", kb / 1024.0 / 1024.0),
        );
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "Machine: {cores} cores ({cpu}), {memory} RAM; {} UTC; release build",
        chrono::Utc::now().format("%Y-%m-%d %H:%M")
    )
}
