//! The group-commit writer's batches, stored directly: every submission in
//! a batch gets its own answer, whether the batch is stored together or,
//! when that fails, one by one.
mod common;

use common::{Backend, SLUG, repo_path, test_db, varied_answers};
use consult::catalogue::Catalogue;
use consult::domain::{Answers, Consultation};
use consult::storage::{
    Channel, GroupCommit, NewRow, Pending, StorageError, Store, StoredConsultation,
};
use uuid::Uuid;

fn demo(store: &Store) -> (Consultation, StoredConsultation) {
    let catalogue =
        Catalogue::load(&repo_path("fixtures/consultations"), store).expect("catalogue loads");
    let loaded = catalogue.get(SLUG).expect("demo consultation");
    (loaded.definition.clone(), loaded.stored)
}

fn answers(c: &Consultation, i: usize) -> Answers {
    let v = varied_answers(i);
    consult::domain::answers::from_json_lenient(c, v.as_object().expect("object"))
}

fn row(s: StoredConsultation, sid: Option<Uuid>, a: &Answers) -> NewRow {
    NewRow::new(s, sid, a, Channel::Api, chrono::Utc::now().naive_utc()).expect("row")
}

async fn a_batch_answers_new_submissions_retries_and_conflicts(backend: Backend) {
    let db = test_db(backend);
    let store = Store::open(&db.url).expect("store");
    let (c, stored) = demo(&store);
    let (one, two) = (answers(&c, 0), answers(&c, 1));
    let (sid, before) = (Uuid::now_v7(), Uuid::now_v7());
    let first = store
        .submit_row(&row(stored, Some(before), &one))
        .expect("stored before");

    let answers = store.store_batch(&[
        row(stored, Some(sid), &one),
        row(stored, None, &one),
        row(stored, Some(sid), &one),
        row(stored, Some(sid), &two),
        row(stored, Some(before), &one),
        row(stored, Some(before), &two),
    ]);
    let ok = |i: usize| answers[i].as_ref().expect("answered").clone();
    assert!(ok(0).created && ok(1).created);
    assert_ne!(ok(0).id, ok(1).id);
    // A retry within the batch is the first of the batch's response.
    assert_eq!(
        (ok(2).id, &ok(2).receipt, ok(2).created),
        (ok(0).id, &ok(0).receipt, false)
    );
    assert!(
        matches!(answers[3], Err(StorageError::SubmissionConflict)),
        "{:?}",
        answers[3]
    );
    // A retry of a stored submission is that response.
    assert_eq!(
        ok(4),
        consult::storage::SubmitOutcome {
            created: false,
            ..first
        }
    );
    assert!(
        matches!(answers[5], Err(StorageError::SubmissionConflict)),
        "{:?}",
        answers[5]
    );
    assert_eq!(store.count_responses(stored.id).expect("count"), 3);
}

async fn a_refused_submission_leaves_its_batch_neighbours_stored(backend: Backend) {
    let db = test_db(backend);
    let store = Store::open(&db.url).expect("store");
    let (c, stored) = demo(&store);
    let ghost = StoredConsultation {
        id: Uuid::now_v7(),
        version: 1,
    };
    let (one, two) = (answers(&c, 0), answers(&c, 1));
    let sid = Uuid::now_v7();
    // The response of a consultation that does not exist fails the batch's
    // transaction; each submission is then stored alone.
    let answers = store.store_batch(&[
        row(stored, Some(sid), &one),
        row(ghost, None, &one),
        row(stored, None, &two),
        row(stored, Some(sid), &one),
        row(stored, Some(sid), &two),
    ]);
    let ok = |i: usize| answers[i].as_ref().expect("answered").clone();
    assert!(ok(0).created && ok(2).created);
    assert!(
        matches!(answers[1], Err(StorageError::Query(_))),
        "{:?}",
        answers[1]
    );
    assert_eq!((ok(3).id, ok(3).created), (ok(0).id, false));
    assert!(
        matches!(answers[4], Err(StorageError::SubmissionConflict)),
        "{:?}",
        answers[4]
    );
    assert_eq!(store.count_responses(stored.id).expect("count"), 2);
    let kept = store
        .load_response(ok(2).id)
        .expect("load")
        .expect("stored");
    assert_eq!(kept.answers(&c), two);
}

async fn submissions_sent_together_through_the_writer_each_get_their_answer(backend: Backend) {
    let db = test_db(backend);
    let store = Store::open(&db.url).expect("store");
    let (c, stored) = demo(&store);
    let commits = GroupCommit::start(store.clone()).expect("writer starts");
    let sid = Uuid::now_v7();
    let sent = (0..40).map(|i| {
        let commits = commits.clone();
        let a = answers(&c, if i % 10 == 0 { 0 } else { i });
        tokio::spawn(async move {
            commits
                .submit(Pending {
                    consultation: stored,
                    submission_id: (i % 10 == 0).then_some(sid),
                    answers: a,
                    channel: Channel::Api,
                })
                .await
        })
    });
    let mut ids = Vec::new();
    for handle in sent.collect::<Vec<_>>() {
        ids.push(handle.await.expect("joined").expect("stored").id);
    }
    // The four with one submission_id are one response.
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 37);
    assert_eq!(store.count_responses(stored.id).expect("count"), 37);
}

on_both_backends!(
    a_batch_answers_new_submissions_retries_and_conflicts,
    a_refused_submission_leaves_its_batch_neighbours_stored,
    submissions_sent_together_through_the_writer_each_get_their_answer,
);
