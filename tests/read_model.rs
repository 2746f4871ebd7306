//! `current_responses` and `current_documents`, the one-row-per-response
//! copies that analyses and exports read, stays equal to the stored answers through every kind of
//! change, and is filled in for responses stored before it existed.
mod common;

use common::{
    Backend, SLUG, TestDb, raw, repo_path, run_cli, spawn_app, submit_varied, varied_answers,
};
use consult::catalogue::Catalogue;
use consult::domain::{Answers, closed_codes};
use consult::storage::{Channel, NewRow, NewSubmission, StorageError, Store, StoredConsultation};
use serde_json::Value;

fn demo(store: &Store) -> (consult::domain::Consultation, StoredConsultation) {
    let catalogue =
        Catalogue::load(&repo_path("fixtures/consultations"), store).expect("catalogue loads");
    let loaded = catalogue.get(SLUG).expect("demo consultation");
    (loaded.definition.clone(), loaded.stored)
}

fn parse(c: &consult::domain::Consultation, v: &Value) -> Answers {
    consult::domain::answers::from_json_lenient(c, v.as_object().expect("object"))
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The number a `SELECT count(*) AS n ...` query gives.
fn count(db: &TestDb, sql: &str) -> i64 {
    use diesel::{Connection, RunQueryDsl};
    let rows: Vec<Count> = match db.backend {
        Backend::Sqlite => {
            let path = db.url.trim_start_matches("sqlite://");
            let mut c = diesel::SqliteConnection::establish(path).expect("open");
            diesel::sql_query(sql).load(&mut c).expect("count")
        }
        Backend::Postgres => {
            let mut c = diesel::PgConnection::establish(&db.url).expect("open");
            diesel::sql_query(sql).load(&mut c).expect("count")
        }
    };
    rows[0].n
}

/// (answers JSON, closed codes) per stored response, sorted.
fn read_model(store: &Store, id: StoredConsultation) -> Vec<(Value, String)> {
    let full = store.current_responses(id.id).expect("rows").rows;
    let codes = store.current_closed(id.id).expect("rows").rows;
    assert_eq!(full.len(), codes.len());
    let mut out: Vec<(Value, String)> = full
        .iter()
        .zip(&codes)
        .map(|(f, c)| {
            assert_eq!(f.submitted_at, c.submitted_at);
            (
                serde_json::from_str(&f.answers).expect("json"),
                c.closed.clone(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.to_string().cmp(&b.0.to_string())));
    out
}

async fn responses_stored_before_the_read_model_are_filled_in_by_migrate(backend: Backend) {
    let app = spawn_app(backend).await;
    submit_varied(&app.client, &app.address, 6).await;
    let store = app.store();
    let (c, stored) = demo(&store);
    let before = read_model(&store, stored);
    assert_eq!(before.len(), 6);
    // Each row says exactly what was submitted.
    let mut expected: Vec<(Value, String)> = (0..6)
        .map(|i| {
            let a = parse(&c, &varied_answers(i));
            (Value::Object(a.to_json()), closed_codes::encode(&a))
        })
        .collect();
    expected.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.to_string().cmp(&b.0.to_string())));
    assert_eq!(before, expected);

    raw(&app.db, "DELETE FROM current_responses");
    raw(&app.db, "DELETE FROM current_documents");
    assert!(read_model(&store, stored).is_empty());
    store.migrate().expect("migrate");
    assert_eq!(read_model(&store, stored), before);
    // Nothing is added twice when there is nothing to fill in.
    store.migrate().expect("migrate again");
    assert_eq!(read_model(&store, stored), before);
}

async fn every_kind_of_change_keeps_the_read_model_in_step(backend: Backend) {
    let app = spawn_app(backend).await;
    let store = app.store();
    let (c, stored) = demo(&store);
    let first = parse(&c, &varied_answers(0));
    let kept = store
        .submit(&NewSubmission {
            consultation: stored,
            submission_id: None,
            answers: &first,
            channel: Channel::Api,
            submitted_at: None,
        })
        .expect("submit");
    let gone = store
        .submit(&NewSubmission {
            consultation: stored,
            submission_id: None,
            answers: &parse(&c, &varied_answers(1)),
            channel: Channel::Api,
            submitted_at: None,
        })
        .expect("submit");
    assert_eq!(read_model(&store, stored).len(), 2);

    // A changed answer replaces the row.
    let changed = parse(&c, &varied_answers(2));
    store
        .add_version(kept.id, stored.version, Channel::Web, &changed)
        .expect("new version");
    let rows = read_model(&store, stored);
    assert!(
        rows.iter()
            .any(|(_, codes)| *codes == closed_codes::encode(&changed))
    );
    assert!(
        !rows
            .iter()
            .any(|(_, codes)| *codes == closed_codes::encode(&first))
    );

    // Withdrawal removes it.
    assert!(store.withdraw(gone.id, &gone.receipt).expect("withdraw"));
    let rows = read_model(&store, stored);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].1, closed_codes::encode(&changed));

    // Erasure takes the named answers out of both forms.
    let tomorrow = chrono::Utc::now().naive_utc() + chrono::Duration::days(1);
    store
        .erase_identifying(
            stored.id,
            &["organisation".into(), "region".into()],
            tomorrow,
        )
        .expect("erase");
    let (json, codes) = &read_model(&store, stored)[0];
    assert!(json.get("organisation").is_none(), "{json}");
    assert!(json.get("region").is_none(), "{json}");
    assert_eq!(json["q1"], changed.to_json()["q1"]);
    assert!(!codes.contains("region="), "{codes}");
    assert!(codes.contains("stakeholder_group="), "{codes}");
    // And the analysis sees what storage holds.
    let results = common::results(&app.client, &app.address).await;
    assert_eq!(results["responses"], 1);
    assert_eq!(common::count_of(&results, "q1", common::Q1_CODES[2]), 1);
}

async fn generating_into_the_database_stores_what_the_file_would_hold(backend: Backend) {
    let db = common::test_db(backend);
    let out = db.dir.path().join("generated.json");
    let (ok, _, err) = run_cli(
        &["fixtures", "generate", "--n", "300", "--seed", "7", "--out"]
            .iter()
            .copied()
            .chain([out.to_str().expect("path")])
            .collect::<Vec<_>>(),
    );
    assert!(ok, "{err}");
    let (ok, stdout, err) = common::generate_into(&db.url, 300, &["--seed", "7"]);
    assert!(ok, "{err}");
    assert!(
        stdout.contains("stored 300 synthetic responses"),
        "{stdout}"
    );
    let store = Store::open(&db.url).expect("store");
    let (c, stored) = demo(&store);
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("file")).expect("json");
    let mut expected: Vec<(String, String)> = file["responses"]
        .as_array()
        .expect("responses")
        .iter()
        .map(|r| {
            let a = parse(&c, &r["answers"]);
            let t = chrono::DateTime::parse_from_rfc3339(r["submitted_at"].as_str().expect("time"))
                .expect("rfc3339")
                .naive_utc();
            (t.to_string(), closed_codes::encode(&a))
        })
        .collect();
    expected.sort();
    let mut got: Vec<(String, String)> = store
        .current_closed(stored.id)
        .expect("rows")
        .rows
        .into_iter()
        .map(|r| (r.submitted_at.to_string(), r.closed))
        .collect();
    got.sort();
    assert_eq!(got, expected);
    let counts = store.table_counts().expect("counts");
    let count = |t: &str| counts.iter().find(|(n, _)| *n == t).map(|(_, n)| *n);
    assert_eq!(count("responses"), Some(300));
    assert_eq!(count("response_versions"), Some(300));
    assert_eq!(count("current_responses"), Some(300));
    assert_eq!(count("current_documents"), Some(300));
    if backend == Backend::Sqlite {
        // Generation checks references once per batch, not per row: what
        // it stored must still satisfy every one.
        let broken = self::count(&db, "SELECT count(*) AS n FROM pragma_foreign_key_check");
        assert_eq!(broken, 0);
    }
}

async fn a_generated_batch_naming_a_missing_consultation_stores_nothing(backend: Backend) {
    let db = common::test_db(backend);
    let store = Store::open(&db.url).expect("store");
    let (c, stored) = demo(&store);
    let ghost = StoredConsultation {
        id: uuid::Uuid::now_v7(),
        version: 1,
    };
    let answers = parse(&c, &varied_answers(0));
    let t = chrono::Utc::now().naive_utc();
    let row =
        |s: StoredConsultation| NewRow::new(s, None, &answers, Channel::Synthetic, t).expect("row");
    let mut load = store.bulk_load().expect("bulk load");
    let refused = load.insert(&[row(stored), row(ghost)]);
    assert!(
        matches!(&refused, Err(StorageError::NoConsultation(id)) if *id == ghost.id),
        "{refused:?}"
    );
    let counts = store.table_counts().expect("counts");
    let responses = counts
        .iter()
        .find(|(t, _)| *t == "responses")
        .map(|(_, n)| *n);
    assert_eq!(responses, Some(0));
    assert_eq!(load.insert(&[row(stored)]).expect("stored"), 1);
    // References are checked again for everything else.
    let orphan = store.submit(&NewSubmission {
        consultation: ghost,
        submission_id: None,
        answers: &answers,
        channel: Channel::Api,
        submitted_at: None,
    });
    assert!(orphan.is_err(), "{orphan:?}");
    assert_eq!(store.count_responses(stored.id).expect("count"), 1);
}

async fn answers_stored_as_rows_by_earlier_releases_become_documents(backend: Backend) {
    let app = spawn_app(backend).await;
    submit_varied(&app.client, &app.address, 4).await;
    let store = app.store();
    let (c, stored) = demo(&store);
    let ids = store.response_ids(stored.id).expect("ids");
    store
        .add_version(
            ids[0],
            stored.version,
            Channel::Web,
            &parse(&c, &varied_answers(5)),
        )
        .expect("second version");
    let answers = |store: &Store| -> Vec<Value> {
        ids.iter()
            .map(|id| {
                let r = store.load_response(*id).expect("load").expect("stored");
                Value::Object(r.answers(&c).to_json())
            })
            .collect()
    };
    let before = answers(&store);
    assert_eq!(
        before[0],
        Value::Object(parse(&c, &varied_answers(5)).to_json())
    );

    // Back to one row per answer, as migration 6 left the schema.
    let folder = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgresql",
    };
    let down = repo_path("migrations")
        .join(folder)
        .join("2026-11-24-000007_answer_documents/down.sql");
    raw(&app.db, &std::fs::read_to_string(down).expect("down.sql"));
    raw(
        &app.db,
        "DELETE FROM __diesel_schema_migrations WHERE version = '20261124000007'",
    );
    // Versions 1 and 2 of the first response, one of each other; two rows
    // for a two-option answer, one for a one-option answer.
    let rows = |q: &str| format!("SELECT count(*) AS n FROM answers WHERE question_id = '{q}'");
    assert_eq!(count(&app.db, &rows("q5b")), 10);
    assert_eq!(count(&app.db, &rows("q9_areas")), 5);

    store.migrate().expect("migrate");
    assert_eq!(answers(&store), before);
    // The view for SQL by hand reads the current documents.
    let view = |q: &str| {
        format!(
            "SELECT count(*) AS n FROM current_answers WHERE question_id = '{q}' AND value = 'public_health'"
        )
    };
    assert_eq!(count(&app.db, &view("q9_areas")), 4);
    assert_eq!(
        count(
            &app.db,
            "SELECT count(*) AS n FROM current_answers WHERE question_id = 'q5b' AND position = 1"
        ),
        4
    );
}

async fn a_frame_built_in_pages_equals_one_built_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    submit_varied(&app.client, &app.address, 23).await;
    let store = app.store();
    let (c, stored) = demo(&store);
    let rows = store.current_closed(stored.id).expect("rows");
    let whole = consult::analysis::frame::build(&c, &rows.rows).expect("frame");
    for page in [1, 4, 23, 100] {
        let (version, paged) =
            consult::analysis::read::frame_in_pages(&store, &c, stored.id, page).expect("frame");
        assert_eq!(version, rows.data_version);
        assert!(paged.equals_missing(&whole), "pages of {page}");
    }
}

on_both_backends!(
    a_frame_built_in_pages_equals_one_built_at_once,
    answers_stored_as_rows_by_earlier_releases_become_documents,
    responses_stored_before_the_read_model_are_filled_in_by_migrate,
    every_kind_of_change_keeps_the_read_model_in_step,
    generating_into_the_database_stores_what_the_file_would_hold,
    a_generated_batch_naming_a_missing_consultation_stores_nothing,
);
