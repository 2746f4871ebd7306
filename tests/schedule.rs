//! When a consultation takes responses: an administrator's schedule, and
//! invitation-only consultations.
mod common;

use common::{Backend, SLUG, spawn_app, spawn_app_with, valid_answers};
use serde_json::{Value, json};

async fn an_administrator_closes_and_reopens_a_consultation(backend: Backend) {
    let app = spawn_app(backend).await;
    let post = |client: &reqwest::Client, action: &str| {
        client
            .post(format!("{}/api/consultations/{SLUG}/{action}", app.address))
            .send()
    };
    assert_eq!(
        post(&app.anonymous, "close").await.expect("post").status(),
        401
    );
    let staff = common::create_user(&app.db.url, "staff@example.org", "staff");
    assert_eq!(
        post(&common::authed_client(&staff.token), "close")
            .await
            .expect("post")
            .status(),
        403
    );

    let r = post(&app.client, "close").await.expect("post");
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.expect("json")["open"], false);
    let (status, _) = common::submit(&app.anonymous, &app.address, &valid_answers(), None).await;
    assert_eq!(status, 409, "closed: submissions refused");
    let list = app.get_json("/api/consultations").await;
    assert_eq!(list[0]["open"], false);
    let page = app
        .anonymous
        .get(format!("{}/consultations/{SLUG}", app.address))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(page.contains("closed"), "the start page says so");

    let r = post(&app.client, "open").await.expect("post");
    assert_eq!(r.json::<Value>().await.expect("json")["open"], true);
    let (status, _) = common::submit(&app.anonymous, &app.address, &valid_answers(), None).await;
    assert_eq!(status, 201, "reopened");
    let audit = app.store().audit_entries(10).expect("audit");
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["open_consultation", "close_consultation"]);
}

async fn invite_only_consultations_take_one_response_per_invitation(backend: Backend) {
    let dir = tempfile::tempdir().expect("dir");
    let mut def: Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo_path(
            "fixtures/consultations/next-steps-for-system-working.json",
        ))
        .expect("read"),
    )
    .expect("json");
    def["invite_only"] = json!(true);
    std::fs::write(dir.path().join("invite.json"), def.to_string()).expect("write");
    let app = spawn_app_with(backend, dir.path()).await;

    let (status, body) = common::submit(&app.anonymous, &app.address, &valid_answers(), None).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["errors"][0]["field"], "slug");
    let start = app
        .anonymous
        .get(format!("{}/consultations/{SLUG}", app.address))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(start.contains("by invitation only") && !start.contains("Start now"));

    let emails = app.db.dir.path().join("emails.txt");
    std::fs::write(&emails, "a@example.org\nnot-an-email\n").expect("write");
    let (ok, _, err) = common::run_cli(&[
        "--database",
        &app.db.url,
        "invitations",
        "create",
        "--consultation",
        SLUG,
        "--emails",
        &emails.to_string_lossy(),
        "--consultations",
        &dir.path().to_string_lossy(),
    ]);
    assert!(!ok && err.contains("line 2"), "{err}");
    std::fs::write(&emails, "a@example.org\nB@example.org\n\na@example.org\n").expect("write");
    let (ok, out, err) = common::run_cli(&[
        "--database",
        &app.db.url,
        "invitations",
        "create",
        "--consultation",
        SLUG,
        "--emails",
        &emails.to_string_lossy(),
        "--consultations",
        &dir.path().to_string_lossy(),
        "--base-url",
        &app.address,
    ]);
    assert!(ok, "{err}");
    assert!(err.contains("skipped a@example.org"), "{err}");
    let links: Vec<&str> = out
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1))
        .collect();
    assert_eq!(links.len(), 2, "{out}");
    assert!(out.contains("b@example.org,"));

    let first = app.anonymous.get(links[0]).send().await.expect("get");
    assert_eq!(first.status(), 303);
    let location = first.headers()["location"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        location.contains("/r/") && location.ends_with("/sections/about"),
        "{location}"
    );
    let again = app.anonymous.get(links[0]).send().await.expect("get");
    assert_eq!(again.status(), 409, "an invitation starts one response");
    let made_up = format!("{}/consultations/{SLUG}/i/{}", app.address, "A".repeat(43));
    assert_eq!(
        app.anonymous
            .get(made_up)
            .send()
            .await
            .expect("get")
            .status(),
        404
    );
    // The draft the invitation started is the member's, behind their link.
    let draft = app
        .anonymous
        .get(format!("{}{location}", app.address))
        .send()
        .await
        .expect("get");
    assert_eq!(draft.status(), 200);
}

on_both_backends!(
    invite_only_consultations_take_one_response_per_invitation,
    an_administrator_closes_and_reopens_a_consultation,
);
