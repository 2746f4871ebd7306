//! The real `consult` binary as a child process, for tests that kill it or
//! run several instances side by side.
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub base: String,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

impl Server {
    /// Starts `consult serve` on a free port against `database`.
    pub fn start(database: &str) -> Server {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_consult"))
            .args([
                "--database",
                database,
                "serve",
                "--bind",
                &format!("127.0.0.1:{port}"),
                // Tests send many requests from one address.
                "--rate-limit-submissions",
                "0",
                "--rate-limit-sign-in",
                "0",
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("server starts");
        Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    /// A server already started by `child` (a wrapper of `consult serve`)
    /// listening on `port`.
    pub fn adopt(child: Child, port: u16) -> Server {
        Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Waits until the service answers.
    pub async fn ready(&self, client: &reqwest::Client) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(r) = client
                .get(format!("{}/api/consultations", self.base))
                .send()
                .await
                && r.status().is_success()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("server at {} did not become ready", self.base);
    }

    /// SIGKILL: no chance to flush or close anything.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}
