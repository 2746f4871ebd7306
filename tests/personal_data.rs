//! Identifying answers are erased for good once the retention period has
//! passed; everything else stays for analysis.
mod common;

use common::{Backend, SLUG, run_cli, spawn_app};

async fn retention_erases_exactly_the_identifying_answers_past_their_date(backend: Backend) {
    let app = spawn_app(backend).await;
    let file = app.db.dir.path().join("responses.csv");
    std::fs::write(
        &file,
        "submitted_at,stakeholder_group,region,role,organisation,email,q1\n\
         2020-08-04T10:00:00Z,ccg,london,chair,Old CCG,old@example.org,agree\n\
         2020-08-05T10:00:00Z,pcn,london,chair,Old PCN,,disagree\n\
         2021-08-20T10:00:00Z,ccg,london,chair,New CCG,new@example.org,agree\n",
    )
    .expect("write");
    let (ok, out, err) = run_cli(&[
        "--database",
        &app.db.url,
        "responses",
        "import",
        &file.to_string_lossy(),
        "--consultation",
        SLUG,
    ]);
    assert!(ok, "{out}{err}");

    // 365 days before 1 September 2021 is 1 September 2020.
    let (ok, out, err) = run_cli(&[
        "--database",
        &app.db.url,
        "retention",
        "run",
        "--as-of",
        "2021-09-01T00:00:00Z",
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains(&format!("{SLUG}: erased 3 identifying answer(s)")),
        "{out}"
    );
    assert!(out.contains("organisation 2, email 1"), "{out}");

    let csv = app
        .client
        .get(format!(
            "{}/api/consultations/{SLUG}/export?format=csv&identified=true",
            app.address
        ))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("csv");
    assert!(
        !csv.contains("Old CCG") && !csv.contains("Old PCN") && !csv.contains("old@example.org")
    );
    assert!(
        csv.contains("New CCG") && csv.contains("new@example.org"),
        "kept until its own date"
    );
    assert_eq!(csv.lines().count(), 4, "every response stays");
    let results = common::results(&app.client, &app.address).await;
    assert_eq!(
        common::count_of(&results, "q1", "agree"),
        2,
        "the rest stays for analysis"
    );

    let (ok, out, _) = run_cli(&[
        "--database",
        &app.db.url,
        "retention",
        "run",
        "--as-of",
        "2021-09-01T00:00:00Z",
    ]);
    assert!(
        ok && out.contains("erased 0 identifying answer(s)"),
        "{out}"
    );
}

on_both_backends!(retention_erases_exactly_the_identifying_answers_past_their_date);
