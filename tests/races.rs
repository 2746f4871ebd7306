//! A member's private link used from two places at once (two tabs, a
//! double click, two instances behind a load balancer): a draft becomes
//! one response, and a withdrawal always wins over a change in flight.
mod common;

use common::{Backend, SLUG, csrf, repo_path, spawn_app, valid_answers};
use consult::catalogue::Catalogue;
use consult::storage::Store;
use uuid::Uuid;

/// Enough tries for a race that went wrong about half the time to show.
const TRIALS: usize = 30;

fn demo_id(store: &Store) -> Uuid {
    Catalogue::load(&repo_path("fixtures/consultations"), store)
        .expect("catalogue loads")
        .get(SLUG)
        .expect("demo consultation")
        .stored
        .id
}

/// A draft holding a whole valid response; its private path.
fn complete_draft(store: &Store, consultation: Uuid, q1: &str) -> String {
    let token = store.create_draft(consultation).expect("draft");
    let draft = store.find_draft(&token).expect("find").expect("draft");
    let mut answers = valid_answers();
    answers["q1"] = q1.into();
    let answers = answers.as_object().expect("object").clone();
    store.save_draft(draft.id, &answers).expect("save");
    format!("/consultations/{SLUG}/r/{}", token.as_str())
}

/// A member's browser on the service at `address`, with its CSRF token.
async fn browser(address: &str) -> (reqwest::Client, String) {
    let client = common::client();
    let (status, html) = common::fetch(&client, &format!("{address}/consultations/{SLUG}")).await;
    assert_eq!(status, 200);
    let token = csrf(&html);
    (client, token)
}

async fn post(
    (client, token): &(reqwest::Client, String),
    url: String,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let mut form = vec![("csrf_token", token.as_str())];
    form.extend_from_slice(fields);
    let r = client.post(url).form(&form).send().await.expect("post");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body"))
}

async fn a_draft_submitted_twice_at_once_is_one_response(backend: Backend) {
    let app = spawn_app(backend).await;
    let other = common::second_instance(&app).await;
    let store = app.store();
    let id = demo_id(&store);
    let (a, b) = (browser(&app.address).await, browser(&other).await);
    for trial in 0..TRIALS {
        let path = complete_draft(&store, id, "agree");
        let ((sa, ba), (sb, bb)) = tokio::join!(
            post(&a, format!("{}{path}/submit", app.address), &[]),
            post(&b, format!("{other}{path}/submit"), &[]),
        );
        assert_eq!((sa, sb), (303, 303), "trial {trial}: {ba}{bb}");
        assert_eq!(
            store.count_responses(id).expect("count"),
            trial as i64 + 1,
            "trial {trial}: one draft, one response"
        );
    }
}

async fn a_change_racing_a_withdrawal_never_fails_either(backend: Backend) {
    let app = spawn_app(backend).await;
    let other = common::second_instance(&app).await;
    let store = app.store();
    let id = demo_id(&store);
    let (a, b) = (browser(&app.address).await, browser(&other).await);
    let mut withdrawn_first = 0;
    for trial in 0..TRIALS {
        let path = complete_draft(&store, id, "agree");
        let (status, body) = post(&a, format!("{}{path}/submit", app.address), &[]).await;
        assert_eq!(status, 303, "{body}");
        let token =
            consult::domain::tokens::AccessToken::parse(path.rsplit('/').next().expect("token"))
                .expect("token");
        let draft = store.find_draft(&token).expect("find").expect("draft");
        let receipt = draft.receipt.clone().expect("submitted");
        let mut changed = draft.answers.clone();
        changed.insert("q1".into(), "disagree".into());
        changed.insert("q1_why".into(), "Changed my mind.".into());
        store.save_draft(draft.id, &changed).expect("save");

        let fields = [("receipt", receipt.as_str())];
        let ((submitted, sbody), (withdrawn, wbody)) = tokio::join!(
            post(&a, format!("{}{path}/submit", app.address), &[]),
            post(&b, format!("{other}{path}/withdraw"), &fields),
        );
        assert_eq!(
            withdrawn, 200,
            "trial {trial}: the withdrawal fails: {wbody}"
        );
        assert!(
            wbody.contains("Your response has been withdrawn"),
            "{wbody}"
        );
        match submitted {
            // Stored first, then withdrawn with the rest.
            303 => {}
            // The link was gone before the change was read.
            404 => assert!(sbody.contains("Page not found"), "{sbody}"),
            // Withdrawn while the change was on its way.
            410 => {
                withdrawn_first += 1;
                assert!(
                    sbody.contains("This response has been withdrawn"),
                    "{sbody}"
                );
            }
            other => panic!("trial {trial}: the change got {other}: {sbody}"),
        }
        assert_eq!(
            store.count_responses(id).expect("count"),
            0,
            "trial {trial}"
        );
    }
    eprintln!("{withdrawn_first} of {TRIALS} changes arrived after their withdrawal");
    let counts = store.table_counts().expect("counts");
    for table in ["drafts", "response_versions", "current_documents"] {
        let rows = counts.iter().find(|(t, _)| *t == table).map(|x| x.1);
        assert_eq!(rows, Some(0), "{table}");
    }
}

on_both_backends!(
    a_draft_submitted_twice_at_once_is_one_response,
    a_change_racing_a_withdrawal_never_fails_either,
);
