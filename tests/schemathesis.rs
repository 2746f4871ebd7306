//! The OpenAPI document against the service it describes: schemathesis
//! sends generated requests, valid and not, to every operation, and fails
//! on any 5xx or any answer the document does not describe.
mod common;

use common::{Backend, spawn_app_with_fixture};

/// The schemathesis command: CONSULT_SCHEMATHESIS or `st` on the PATH.
fn schemathesis() -> String {
    let cmd = std::env::var("CONSULT_SCHEMATHESIS").unwrap_or_else(|_| "st".into());
    let found = std::process::Command::new(&cmd)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "schemathesis not found: `pip install schemathesis` or set CONSULT_SCHEMATHESIS (.ci/run does)"
    );
    cmd
}

async fn the_api_behaves_as_its_document_says(backend: Backend) {
    let st = schemathesis();
    let app = spawn_app_with_fixture(backend).await;
    let report = app.db.dir.path().join("schemathesis");
    let out = tokio::process::Command::new(st)
        .args([
            "run",
            &format!("{}/api/openapi.json", app.address),
            "--checks",
            "all",
            // Valid-looking answers to questions the document cannot name
            // (they are each consultation's own) are rightly refused.
            "--exclude-checks",
            "positive_data_acceptance",
            "--max-examples",
            "15",
            "--seed",
            "20201",
            "--workers",
            "2",
            "--no-color",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--header",
            &format!("Authorization: Bearer {}", app.admin_token),
            "--report-dir",
        ])
        .arg(&report)
        .current_dir(app.db.dir.path())
        .output()
        .await
        .expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{stdout}\n{stderr}"
    );
    // It really tested every operation it found, and found them all (it
    // leaves out the document's own route).
    let doc: serde_json::Value = app.get_json("/api/openapi.json").await;
    let operations: usize = doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|p| p.as_object().map_or(0, |ops| ops.len()))
        .sum();
    let n = operations - 1;
    assert!(n >= 12, "{operations} operations");
    assert!(
        stdout.contains(&format!("{n} selected / {n} total"))
            && stdout.contains(&format!("Tested: {n}")),
        "not every operation was tested:\n{stdout}"
    );
}

// Once, on SQLite: the document and the handlers are the same on both.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn schemathesis_finds_nothing() {
    the_api_behaves_as_its_document_says(Backend::Sqlite).await
}
