//! Child processes: `consult` itself (serve, fixtures generate) and this
//! suite's own modes (load generator, minimal baseline server).
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn consult() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_consult"));
    c.current_dir(repo());
    c
}

pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// A server process, killed on drop.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// `consult serve` on `database`, with rate limits off (the load comes
    /// from one address).
    pub fn consult(database: &Path) -> anyhow::Result<Server> {
        let port = free_port()?;
        let child = consult()
            .args(["--database", &database.to_string_lossy(), "serve", "--bind"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["--rate-limit-submissions", "0", "--rate-limit-sign-in", "0"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()?;
        Ok(Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        })
    }

    /// This program in baseline mode: a minimal handler on `database`.
    pub fn baseline(database: &Path) -> anyhow::Result<Server> {
        let port = free_port()?;
        let child = Command::new(std::env::current_exe()?)
            .args(["--mode", "baseline", "--database"])
            .arg(database)
            .arg("--port")
            .arg(port.to_string())
            .current_dir(repo())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()?;
        Ok(Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until `path` answers 2xx.
    pub async fn ready(&self, client: &reqwest::Client, path: &str) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(r) = client.get(format!("{}{path}", self.base)).send().await
                && r.status().is_success()
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        anyhow::bail!("{} did not become ready", self.base)
    }

    /// Peak resident memory so far, in MiB (Linux).
    pub fn peak_rss_mib(&self) -> Option<f64> {
        peak_rss_mib(self.pid())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn peak_rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Runs a command to completion; its output is returned, failure is an error.
pub fn run(mut c: Command) -> anyhow::Result<String> {
    let out = c.output()?;
    if !out.status.success() {
        anyhow::bail!(
            "{:?} failed: {}{}",
            c,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
