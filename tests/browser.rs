//! Runs the browser test (frontend/tests, Node with playwright-core and the
//! system Chromium) against the real binary, then checks what it stored.
mod common;

use common::{Backend, Server};
use std::process::Command;

async fn a_member_completes_the_survey_in_a_browser(backend: Backend) {
    let root = env!("CARGO_MANIFEST_DIR");
    assert!(
        std::path::Path::new(root)
            .join("frontend/node_modules/playwright-core")
            .exists(),
        "run `npm ci --prefix frontend` first (the browser test needs playwright-core and axe-core)"
    );
    let chromium = std::env::var("CONSULT_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        std::path::Path::new(&chromium).exists(),
        "Chromium not found at {chromium}: install Debian's `chromium` package or set CONSULT_CHROMIUM"
    );
    let db = common::test_db(backend);
    let mut server = Server::start(&db.url);
    server.ready(&common::client()).await;
    let receipt_file = db.dir.path().join("receipt.txt");
    // A staff account as an administrator makes one: its JSON on stdout.
    let (ok, out, err) = common::run_cli(&[
        "--database",
        &db.url,
        "users",
        "create",
        "--email",
        "policy@example.org",
        "--role",
        "staff",
    ]);
    assert!(ok, "{out}{err}");
    let account: serde_json::Value = serde_json::from_str(&out).expect("only JSON on stdout");
    assert_eq!(account["role"], "staff");
    let status = Command::new("node")
        .args(["--test", "frontend/tests/"])
        .current_dir(root)
        .env("CONSULT_BASE_URL", &server.base)
        .env("CONSULT_CHROMIUM", &chromium)
        .env("CONSULT_RECEIPT_FILE", &receipt_file)
        .env(
            "CONSULT_STAFF_EMAIL",
            account["email"].as_str().unwrap_or_default(),
        )
        .env(
            "CONSULT_STAFF_PASSWORD",
            account["password"].as_str().unwrap_or_default(),
        )
        .status();
    server.kill();
    assert!(
        status.expect("node runs").success(),
        "browser test failed (output above)"
    );

    let receipt = std::fs::read_to_string(&receipt_file).expect("receipt written");
    let store = consult::storage::Store::open(&db.url).expect("open");
    let list = store.list_consultations().expect("list");
    assert_eq!(list[0].responses, 1);
    let def = consult::catalogue::read_definition(&common::repo_path(
        "fixtures/consultations/next-steps-for-system-working.json",
    ))
    .expect("def");
    let id = store
        .sync_consultation(
            def.slug.as_str(),
            &def.title,
            &serde_json::to_string(&def).expect("json"),
        )
        .expect("sync")
        .id;
    let rid = store.response_ids(id).expect("ids")[0];
    let stored = store.load_response(rid).expect("load").expect("stored");
    assert_eq!(stored.receipt, receipt.trim());
    let answers = stored.answers(&def).to_json();
    assert_eq!(answers["region"], "london");
    assert_eq!(answers["q11_who"], "joint_committee");
    assert_eq!(answers["q1_why"], "Add prevention and wider determinants.");
}

on_both_backends!(a_member_completes_the_survey_in_a_browser);
