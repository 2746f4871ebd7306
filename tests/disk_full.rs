//! A full disk: members, staff and sign-in get 503 with Retry-After and
//! a message saying answers cannot be stored now, the log says so once,
//! and the service recovers when space is freed. SQLite's write-ahead log
//! stays small, so that it is not what fills a small volume.
mod common;

use common::{Backend, SLUG, Server, csrf, spawn_app, valid_answers};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The test's side of a step the script below takes when asked.
async fn step(out: &Path, name: &str) {
    std::fs::write(out.join(name), "").expect("ask");
    let done = out.join(format!("{name}.done"));
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done.exists() {
        assert!(
            Instant::now() < deadline,
            "the volume script did not {name}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Runs `consult serve` on an SQLite file in its own 16 MB tmpfs (in a user
/// and mount namespace, so no privileges are needed), which it fills when
/// `out/fill` appears and empties when `out/free` does.
const SCRIPT: &str = r#"
set -e
mount -t tmpfs -o size=16m tmpfs "$VOL"
"$BIN" --database "$VOL/db.sqlite3" migrate >/dev/null
"$BIN" --database "$VOL/db.sqlite3" users create --email staff@example.org --role staff > "$OUT/user.json"
"$BIN" --database "$VOL/db.sqlite3" serve --bind "127.0.0.1:$PORT" \
    --rate-limit-submissions 0 --rate-limit-sign-in 0 > "$OUT/server.log" 2>&1 &
for step in fill free; do
    while [ ! -e "$OUT/$step" ]; do sleep 0.02; done
    if [ "$step" = fill ]; then dd if=/dev/zero of="$VOL/filler" bs=4k 2>/dev/null || true; fi
    if [ "$step" = free ]; then rm -f "$VOL/filler"; fi
    touch "$OUT/$step.done"
done
wait
"#;

fn namespaces_work() -> bool {
    Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

async fn is_unavailable(r: reqwest::Response, what: &str) -> String {
    assert_eq!(r.status(), 503, "{what}");
    assert_eq!(r.headers()["retry-after"], "120", "{what}");
    r.text().await.expect("body")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_503_and_recovers() {
    if !namespaces_work() {
        let _ = writeln!(
            std::io::stderr(),
            "\n*** disk-full test SKIPPED: unprivileged user namespaces (unshare) are not available ***\n"
        );
        return;
    }
    let tmp = tempfile::tempdir().expect("dir");
    let (vol, out) = (tmp.path().join("vol"), tmp.path().join("out"));
    std::fs::create_dir_all(&vol).expect("vol");
    std::fs::create_dir_all(&out).expect("out");
    let port = common::free_port();
    let child = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "--pid", "--fork"])
        .args(["--kill-child", "sh", "-c", SCRIPT])
        .env("BIN", env!("CARGO_BIN_EXE_consult"))
        .env("VOL", &vol)
        .env("OUT", &out)
        .env("PORT", port.to_string())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .spawn()
        .expect("unshare runs");
    let server = Server::adopt(child, port);
    let member = common::client();
    server.ready(&member).await;
    let submit = || {
        member
            .post(format!(
                "{}/api/consultations/{SLUG}/responses",
                server.base
            ))
            .json(&serde_json::json!({"answers": valid_answers()}))
            .send()
    };
    assert_eq!(submit().await.expect("submit").status(), 201);
    let (_, html) = common::fetch(&member, &format!("{}/sign-in", server.base)).await;
    let token = csrf(&html);

    step(&out, "fill").await;
    // What was already written to the log may take a few more.
    let mut full = None;
    for _ in 0..50 {
        let r = submit().await.expect("submit");
        if r.status() != 201 {
            full = Some(r);
            break;
        }
    }
    let body = is_unavailable(full.expect("the disk never filled"), "a submission").await;
    assert!(body.contains("cannot store answers right now"), "{body}");
    let r = submit().await.expect("submit");
    let _ = is_unavailable(r, "another submission").await;

    // A member starting on the web...
    let (_, html) = common::fetch(&member, &format!("{}/consultations/{SLUG}", server.base)).await;
    let r = member
        .post(format!("{}/consultations/{SLUG}/start", server.base))
        .form(&[("csrf_token", csrf(&html))])
        .send()
        .await
        .expect("start");
    let html = is_unavailable(r, "starting a response").await;
    assert!(html.contains("cannot store answers"), "{html}");

    // ...and staff signing in are told the same.
    let user: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("user.json")).expect("user"))
            .expect("json");
    let r = member
        .post(format!("{}/sign-in", server.base))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", "staff@example.org"),
            ("password", user["password"].as_str().expect("password")),
        ])
        .send()
        .await
        .expect("sign in");
    let _ = is_unavailable(r, "signing in").await;

    step(&out, "free").await;
    assert_eq!(submit().await.expect("submit").status(), 201, "recovered");

    let log = std::fs::read_to_string(out.join("server.log")).expect("log");
    assert_eq!(log.matches("DISK FULL").count(), 1, "said once:\n{log}");
    for per_request in ["request failed", "page failed"] {
        assert!(!log.contains(per_request), "no error per request:\n{log}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_log_is_cut_back_once_copied() {
    let app = spawn_app(Backend::Sqlite).await;
    // Each submission is its own commit of several pages: together enough
    // for a log of 16 MB at SQLite's defaults.
    for _ in 0..150 {
        let (status, body) =
            common::submit(&app.anonymous, &app.address, &valid_answers(), None).await;
        assert_eq!(status, 201, "{body}");
    }
    let wal = std::fs::metadata(format!("{}-wal", app.db.url))
        .map(|m| m.len())
        .unwrap_or(0);
    assert!(wal <= 6 << 20, "the log holds {} MB", wal >> 20);
}
