//! Failures on our side answer with a generic message and keep their
//! cause for the log; stored data this version cannot read is such a
//! failure, never a quiet refusal.
mod common;

use common::{Backend, SLUG, authed_client, create_user, raw, spawn_app};

async fn an_account_with_an_unknown_role_is_an_error_not_a_refusal(backend: Backend) {
    let app = spawn_app(backend).await;
    let account = create_user(&app.db.url, "who@example.org", "staff");
    let client = authed_client(&account.token);
    let url = format!("{}/api/consultations/{SLUG}/results", app.address);
    assert_eq!(client.get(&url).send().await.expect("get").status(), 200);

    raw(
        &app.db,
        "UPDATE users SET role = 'auditor' WHERE email = 'who@example.org'",
    );
    let r = client.get(&url).send().await.expect("get");
    assert_eq!(r.status(), 500);
    let body = r.text().await.expect("body");
    assert!(body.contains("something went wrong on our side"), "{body}");
    assert!(!body.contains("auditor"), "{body}");
}

on_both_backends!(an_account_with_an_unknown_role_is_an_error_not_a_refusal);
