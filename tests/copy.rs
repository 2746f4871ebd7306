//! `consult copy` moves a populated SQLite deployment into another database
//! (PostgreSQL in production) and the copy answers exactly the same.
mod common;

use common::{Backend, Server, results, run_cli, spawn_app, submit, varied_answers};
use consult::storage::Store;
use uuid::Uuid;

async fn copy_moves_a_deployment_and_answers_the_same(target: Backend) {
    let source = spawn_app(Backend::Sqlite).await;
    for i in 0..30 {
        let (status, _) = submit(
            &source.client,
            &source.address,
            &varied_answers(i),
            Some(Uuid::now_v7()),
        )
        .await;
        assert_eq!(status, 201);
    }
    let expected = results(&source.client, &source.address).await;
    assert_eq!(expected["responses"], 30);
    let source_counts = source.store().table_counts().expect("counts");

    let dst = common::test_db(target);
    let (ok, out, err) = run_cli(&["copy", "--from", &source.db.url, "--to", &dst.url]);
    assert!(ok, "copy failed: {out}{err}");
    for (table, n) in &source_counts {
        assert!(
            out.contains(&format!("{table}\t{n} rows\tmatch")),
            "{table} {n} not reported in:\n{out}"
        );
    }
    let copied = Store::open(&dst.url).expect("open copy");
    assert_eq!(copied.table_counts().expect("counts"), source_counts);

    // A service started on the copy answers exactly as the original did.
    // Accounts move too: the source's administrator token works on the copy.
    let client = common::authed_client(&source.admin_token);
    let server = Server::start(&dst.url);
    server.ready(&client).await;
    assert_eq!(results(&client, &server.base).await, expected);

    // A second copy into the now populated database is refused, untouched.
    let (ok, out, err) = run_cli(&["copy", "--from", &source.db.url, "--to", &dst.url]);
    assert!(!ok, "copied into a non-empty database: {out}");
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(copied.table_counts().expect("counts"), source_counts);
}

on_both_backends!(copy_moves_a_deployment_and_answers_the_same);
