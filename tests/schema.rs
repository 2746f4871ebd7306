//! migrations/sqlite and migrations/postgresql must build the same schema.
mod common;

use common::{Backend, repo_path};
use consult::storage::{SchemaShape, Store};

fn migration_names(backend_dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo_path("migrations").join(backend_dir))
        .expect("migrations folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn both_backends_have_the_same_migrations() {
    let sqlite = migration_names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, migration_names("postgresql"));
}

fn shape(backend: Backend) -> (common::TestDb, SchemaShape) {
    let db = common::test_db(backend);
    let shape = Store::open(&db.url)
        .expect("open")
        .schema_shape()
        .expect("introspect");
    (db, shape)
}

#[test]
fn the_sqlite_schema_is_what_the_code_expects() {
    let (_db, s) = shape(Backend::Sqlite);
    let tables: Vec<&str> = s.keys().map(String::as_str).collect();
    assert_eq!(
        tables,
        [
            "api_tokens",
            "audit_log",
            "coding_themes",
            "codings",
            "consultation_versions",
            "consultations",
            "current_answers",
            "current_documents",
            "current_responses",
            "drafts",
            "invitations",
            "quotes",
            "response_versions",
            "responses",
            "sessions",
            "themes",
            "users"
        ]
    );
    assert!(s["current_answers"].is_view);
    let unique_submission = (true, vec!["consultation_id".into(), "submission_id".into()]);
    assert!(s["responses"].indexes.contains(&unique_submission));
    // Read by consultation in one scan; kept in step by response.
    let by_consultation = (true, vec!["consultation_id".into(), "response_id".into()]);
    assert!(s["current_responses"].indexes.contains(&by_consultation));
    let by_response = (true, vec!["response_id".into()]);
    assert!(s["current_responses"].indexes.contains(&by_response));
    let data_version = s["consultations"]
        .columns
        .iter()
        .find(|c| c.name == "data_version")
        .expect("data_version column");
    assert_eq!(data_version.sql_type, "bigint");
    assert!(!data_version.nullable);
    // One current coding per answer; labels unique, whatever their case.
    let current = (true, vec!["response_id".into(), "question_id".into()]);
    assert!(s["codings"].indexes.contains(&current));
    let label = (
        true,
        vec![
            "consultation_id".into(),
            "question_id".into(),
            "(expression)".into(),
        ],
    );
    assert!(
        s["themes"].indexes.contains(&label),
        "{:?}",
        s["themes"].indexes
    );
}

#[test]
fn postgresql_migrates_to_the_same_schema_as_sqlite() {
    if common::postgres_admin_url().is_none() {
        return;
    }
    let (_a, sqlite) = shape(Backend::Sqlite);
    let (_b, postgres) = shape(Backend::Postgres);
    for (name, table) in &sqlite {
        assert_eq!(Some(table), postgres.get(name), "table {name} differs");
    }
    assert_eq!(sqlite, postgres);
}

#[test]
fn serving_an_unmigrated_postgresql_database_asks_for_consult_migrate() {
    let Some(db) = common::TestDb::unmigrated_postgres() else {
        return;
    };
    let err = Store::open(&db.url).err().expect("refused");
    assert!(
        err.to_string().contains("run `consult migrate` first"),
        "{err}"
    );
    let (ok, out, err) = common::run_cli(&["--database", &db.url, "migrate"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("9 migration(s) applied now"), "{out}");
    Store::open(&db.url).expect("opens once migrated");
    let (ok, out, _) = common::run_cli(&["--database", &db.url, "migrate"]);
    assert!(ok && out.contains("0 migration(s) applied now"), "{out}");
}
