mod common;

use common::{Backend, Member, SLUG, location, spawn_app, start_draft as start};

async fn a_member_completes_the_survey_with_a_correction_and_can_change_it_later(backend: Backend) {
    let app = spawn_app(backend).await;
    let m = start(&app).await;
    let (status, html) = m.get(&format!("{}/sections/about", m.base)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Section 1 of 6"));

    // A missing required answer: error summary, inline message, other answers kept.
    let r = m
        .post(
            &format!("{}/sections/about", m.base),
            &[
                ("stakeholder_group", "ccg"),
                ("role", "chair"),
                ("action", "continue"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.expect("text");
    assert!(html.contains("There is a problem"));
    assert!(html.contains("href=\"#region\""));
    assert!(html.contains("id=\"region-error\""));
    assert!(html.contains("value=\"ccg\" checked"));

    let r = m
        .post(
            &format!("{}/sections/about", m.base),
            &[
                ("stakeholder_group", "ccg"),
                ("region", "london"),
                ("role", "chair"),
                ("organisation", "Example CCG"),
                ("action", "continue"),
            ],
        )
        .await;
    assert!(location(&r).ends_with("/sections/purpose"));
    let r = m
        .post(
            &format!("{}/sections/purpose", m.base),
            &[
                ("q1", "partly_agree"),
                ("q1_why", "Add prevention."),
                ("action", "continue"),
            ],
        )
        .await;
    assert!(location(&r).ends_with("/sections/scope"));
    for s in ["scope", "accountability"] {
        m.post(
            &format!("{}/sections/{s}", m.base),
            &[("action", "continue")],
        )
        .await;
    }
    // A follow-up required only because of the answer before it.
    let r = m
        .post(
            &format!("{}/sections/operating_model", m.base),
            &[
                ("q11", "definitely"),
                ("q8", "tweak"),
                ("action", "continue"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = m
        .post(
            &format!("{}/sections/operating_model", m.base),
            &[
                ("q11", "definitely"),
                ("q11_who", "joint_committee"),
                ("q8", "tweak"),
                ("q9", "probably"),
                ("q9_areas", "public_health"),
                ("q9_areas", "mental_health"),
                ("action", "continue"),
            ],
        )
        .await;
    assert!(location(&r).ends_with("/sections/future"));

    // Save and come back later: the private link resumes the draft.
    let r = m
        .post(
            &format!("{}/sections/future", m.base),
            &[("q13", "probably"), ("action", "save")],
        )
        .await;
    assert!(location(&r).ends_with("/saved"));
    let (_, html) = m.get(&format!("{}/saved", m.base)).await;
    assert!(html.contains(&m.base));
    let (_, html) = m.get(&format!("{}/sections/future", m.base)).await;
    assert!(html.contains("value=\"probably\" checked"));
    assert_eq!(app.stored_count(), 0, "a draft is not a response");

    let (status, html) = m.get(&format!("{}/check", m.base)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Clinical commissioning group (CCG)"));
    assert!(html.contains("Public health<br>Mental health"));
    let r = m.post(&format!("{}/submit", m.base), &[]).await;
    assert!(location(&r).ends_with("/confirmation"));
    let (_, html) = m.get(&format!("{}/confirmation", m.base)).await;
    assert!(html.contains("Response submitted"));
    assert!(html.contains("Your reference number"));
    let (status, html) = m.get(&format!("{}/print", m.base)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Add prevention."));
    assert_eq!(app.stored_count(), 1);

    // Changing the response through the same link stores a new version.
    // The follow-up's old text, sent again, no longer applies: it is
    // pointed out rather than dropped, and the member clears it.
    let purpose = format!("{}/sections/purpose", m.base);
    let change = |why: &'static str| {
        [
            ("q1", "agree"),
            ("q1_why", why),
            ("return_to", "check"),
            ("action", "continue"),
        ]
    };
    let r = m.post(&purpose, &change("Add prevention.")).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("text").contains("only applies when"));
    let r = m.post(&purpose, &change("")).await;
    assert!(location(&r).ends_with("/check"));
    let r = m.post(&format!("{}/submit", m.base), &[]).await;
    assert!(location(&r).ends_with("/confirmation"));
    assert_eq!(app.stored_count(), 1);
    let store = app.store();
    let c = store.list_consultations().expect("list");
    let id = store.response_ids(consult_id(&app)).expect("ids")[0];
    let stored = store.load_response(id).expect("load").expect("stored");
    assert_eq!(stored.version, 2);
    let document: serde_json::Value = serde_json::from_str(&stored.document).expect("json");
    assert_eq!(document["q1"], "agree");
    assert!(document.get("q1_why").is_none());
    assert_eq!(c.len(), 1);

    // Withdrawing needs the receipt too; then the response is gone for good.
    let (status, html) = m.get(&format!("{}/withdraw", m.base)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Withdraw your response"));
    let r = m
        .post(
            &format!("{}/withdraw", m.base),
            &[("receipt", "AAAA-BBBB-CCCC")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap_or_default()
            .contains("does not match")
    );
    assert_eq!(app.stored_count(), 1);
    let receipt = stored.receipt.to_lowercase();
    let r = m
        .post(&format!("{}/withdraw", m.base), &[("receipt", &receipt)])
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .unwrap_or_default()
            .contains("Your response has been withdrawn")
    );
    assert_eq!(app.stored_count(), 0);
    assert!(
        store.load_response(id).expect("load").is_none(),
        "deleted, not hidden"
    );
    let counts = store.table_counts().expect("counts");
    for table in [
        "response_versions",
        "current_responses",
        "current_documents",
    ] {
        let rows = counts.iter().find(|(t, _)| *t == table).map(|x| x.1);
        assert_eq!(rows, Some(0), "{table}");
    }
    assert_eq!(
        m.get(&m.base).await.0,
        404,
        "the private link no longer works"
    );
    let export = app
        .client
        .get(format!(
            "{}/api/consultations/{SLUG}/export?format=csv&identified=true",
            app.address
        ))
        .send()
        .await
        .expect("export")
        .text()
        .await
        .expect("csv");
    assert_eq!(export.lines().count(), 1, "only the header: {export}");
}

fn consult_id(app: &common::TestApp) -> uuid::Uuid {
    let store = app.store();
    let def = consult::catalogue::read_definition(&common::repo_path(
        "fixtures/consultations/next-steps-for-system-working.json",
    ))
    .expect("def");
    store
        .sync_consultation(
            def.slug.as_str(),
            &def.title,
            &serde_json::to_string(&def).expect("json"),
        )
        .expect("sync")
        .id
}

async fn forms_without_their_csrf_token_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let m = start(&app).await;
    let r = app
        .client
        .post(format!("{}{}/sections/about", app.address, m.base))
        .form(&[("region", "london")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    let r = app
        .client
        .post(format!("{}{}/sections/about", app.address, m.base))
        .form(&[("csrf_token", "x".repeat(43).as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    assert!(r.text().await.expect("text").contains("could not confirm"));
}

async fn unknown_links_get_a_page_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let (status, html) = Member {
        app: &app,
        token: String::new(),
        base: String::new(),
    }
    .get(&format!("/consultations/{SLUG}/r/{}/check", "a".repeat(43)))
    .await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
}

async fn a_closed_consultation_refuses_the_web_form(backend: Backend) {
    let app = spawn_app(backend).await;
    let m = start(&app).await;
    let schedule = |action: &'static str| {
        let (client, url) = (
            app.client.clone(),
            format!("{}/api/consultations/{SLUG}/{action}", app.address),
        );
        async move {
            let r = client.post(url).send().await.expect("post");
            assert_eq!(r.status(), 200, "{action}");
        }
    };
    schedule("close").await;
    // A draft started while it was open cannot be submitted now.
    let r = m.post(&format!("{}/submit", m.base), &[]).await;
    assert_eq!(r.status(), 409);
    assert!(
        r.text()
            .await
            .expect("text")
            .contains("not accepting responses")
    );
    // Nor can a new one be started.
    let r = app
        .client
        .post(format!("{}/consultations/{SLUG}/start", app.address))
        .form(&[("csrf_token", &m.token)])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 409);
    assert_eq!(app.stored_count(), 0);
    // Reopened, the same form is checked again (it is incomplete).
    schedule("open").await;
    let r = m.post(&format!("{}/submit", m.base), &[]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("text").contains("There is a problem"));
}

/// "Save and come back later" keeps an unfinished section but never drops
/// what a member typed: an answer it cannot keep comes back with its error.
async fn saving_never_drops_what_was_typed(backend: Backend) {
    let app = spawn_app(backend).await;
    let m = start(&app).await;
    let long = "x".repeat(2_001);
    let r = m
        .post(
            &format!("{}/sections/accountability", m.base),
            &[("q5a", long.as_str()), ("q5c", "Kept."), ("action", "save")],
        )
        .await;
    assert_eq!(r.status(), 422, "not saved as if all were well");
    let html = r.text().await.expect("text");
    assert!(html.contains("There is a problem"), "an error summary");
    assert!(html.contains(&long), "the long answer is still in its box");
    // Unfinished but valid: saved, unanswered questions wait.
    let r = m
        .post(
            &format!("{}/sections/accountability", m.base),
            &[("q5c", "Kept."), ("action", "save")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = m.get(&format!("{}/sections/accountability", m.base)).await;
    assert!(html.contains("Kept."));
    // A follow-up answered when it does not apply (every follow-up is on
    // the page without the script) is pointed out, not dropped.
    for action in ["save", "continue"] {
        let r = m
            .post(
                &format!("{}/sections/operating_model", m.base),
                &[
                    ("q11", "probably_not"),
                    ("q11_who", "joint_committee"),
                    ("action", action),
                ],
            )
            .await;
        assert_eq!(r.status(), 422, "{action}");
        let html = r.text().await.expect("text");
        assert!(html.contains("only applies when"), "{action}");
    }
}

on_both_backends!(
    saving_never_drops_what_was_typed,
    a_closed_consultation_refuses_the_web_form,
    a_member_completes_the_survey_with_a_correction_and_can_change_it_later,
    forms_without_their_csrf_token_are_refused,
    unknown_links_get_a_page_not_found,
);
